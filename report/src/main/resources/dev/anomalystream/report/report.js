// Legend entries toggle their series. The last two lines record that the script ran through,
// which the browser test reads from the dumped DOM.
document.querySelectorAll('svg.chart .legend-item').forEach(function (item) {
  item.addEventListener('click', function () {
    var svg = item.closest('svg');
    var series = item.dataset.series;
    var off = item.classList.toggle('off');
    svg.querySelectorAll('[data-series]').forEach(function (mark) {
      if (mark.dataset.series === series && !mark.classList.contains('legend-item')) {
        mark.classList.toggle('hidden', off);
      }
    });
  });
});
document.body.dataset.charts = String(document.querySelectorAll('svg.chart').length);
if (!document.body.dataset.rendered) { document.body.dataset.rendered = 'ok'; }
