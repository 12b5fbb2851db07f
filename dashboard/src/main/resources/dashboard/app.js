// The live page: rows arrive as server-sent events (/events) and are drawn with uPlot.
// Message text is untrusted: it only ever reaches the page through textContent.
(function () {
  'use strict';

  const HOUR_SECONDS = 3600;
  const RECENT_ROWS = 500;
  const LISTED_ANOMALIES = 200;
  const HISTOGRAM_BINS = 30;
  const REDRAW_MILLIS = 500;
  const KEPT_WINDOWS = 480; // the server keeps as many
  const LISTED_TOPICS = 50;
  const KEPT_TOPICS = 200; // the server keeps as many
  const TOPIC_EXAMPLES = 3;

  const state = newState();
  let serverEpoch = null;
  let dirty = true;
  let streamViewFollowed = false;

  function newState() {
    return {
      rowsHere: 0,
      perSecond: new Map(), // epoch second -> rows processed in it
      anomaliesPerMinute: new Map(), // epoch second of the minute's start -> anomalies in it
      recent: [], // the last RECENT_ROWS rows, oldest first
      anomalies: [], // newest first, at most LISTED_ANOMALIES
      modelVersion: null, // of the latest row
      modelChanges: [], // { seconds, version }: when rows of a new model version began
      windows: new Map(), // "start/end" -> the window's row of the highest pane_index
      topics: new Map(), // topic_id -> its latest row (latest last_window_end, then largest size)
      streamDirty: true,
    };
  }

  function resetState() {
    Object.assign(state, newState());
    dirty = true;
  }

  function byId(id) {
    return document.getElementById(id);
  }

  // when the detector processed the row (its processed_time), else when it arrived here
  function rowSeconds(row) {
    const millis = Date.parse(row.processed_time);
    return (Number.isNaN(millis) ? Date.now() : millis) / 1000;
  }

  function addRow(row) {
    const seconds = rowSeconds(row);
    const second = Math.floor(seconds);
    state.perSecond.set(second, (state.perSecond.get(second) || 0) + 1);
    if (row.is_anomaly) {
      const minute = Math.floor(seconds / 60) * 60;
      state.anomaliesPerMinute.set(minute, (state.anomaliesPerMinute.get(minute) || 0) + 1);
      state.anomalies.unshift(row);
      if (state.anomalies.length > LISTED_ANOMALIES) {
        state.anomalies.length = LISTED_ANOMALIES;
      }
    }
    if (row.model_version && row.model_version !== state.modelVersion) {
      if (state.modelVersion !== null) {
        state.modelChanges.push({ seconds: Math.floor(seconds), version: row.model_version });
        state.streamDirty = true; // the drift chart falls back on these marks
      }
      state.modelVersion = row.model_version;
    }
    state.recent.push(row);
    if (state.recent.length > RECENT_ROWS) {
      state.recent.shift();
    }
    state.rowsHere++;
    dirty = true;
  }

  // --- the stream view: a window is replaced by a later pane of it, a topic by a later state

  function addWindow(row) {
    const key = row.window_start + '/' + row.window_end;
    const known = state.windows.get(key);
    if (known && (known.pane_index || 0) > (row.pane_index || 0)) {
      return;
    }
    state.windows.set(key, row);
    if (state.windows.size > KEPT_WINDOWS) {
      let oldest = null;
      for (const [k, w] of state.windows) {
        if (
          oldest === null ||
          compareInstants(w.window_end, state.windows.get(oldest).window_end) < 0
        ) {
          oldest = k;
        }
      }
      state.windows.delete(oldest);
    }
    state.streamDirty = true;
  }

  // ISO instants compared as times (their text may or may not carry fractions of a second)
  function compareInstants(a, b) {
    return (Date.parse(a) || 0) - (Date.parse(b) || 0);
  }

  function addTopic(topic) {
    const known = state.topics.get(topic.topic_id);
    const byTime = known ? compareInstants(topic.last_window_end, known.last_window_end) : 1;
    if (byTime < 0 || (byTime === 0 && topic.size < known.size)) {
      return;
    }
    state.topics.delete(topic.topic_id);
    state.topics.set(topic.topic_id, topic); // a Map keeps insertion order: least recent first
    if (state.topics.size > KEPT_TOPICS) {
      state.topics.delete(state.topics.keys().next().value);
    }
    state.streamDirty = true;
  }

  function forgetOlderThan(map, oldest) {
    for (const key of map.keys()) {
      if (key < oldest) {
        map.delete(key);
      }
    }
  }

  function timeSeries(map, start, end, step) {
    const xs = [];
    const ys = [];
    for (let t = start; t <= end; t += step) {
      xs.push(t);
      ys.push(map.get(t) || 0);
    }
    return [xs, ys];
  }

  function histogram(rows) {
    const scores = rows.map((row) => row.score).filter((s) => typeof s === 'number');
    const latest = rows.length ? rows[rows.length - 1] : null;
    const threshold = latest && typeof latest.threshold === 'number' ? latest.threshold : null;
    const bounds = threshold === null ? scores : scores.concat([threshold]);
    if (!bounds.length) {
      return { data: [[], []], threshold: null, range: [0, 1] };
    }
    let low = Math.min(...bounds);
    let high = Math.max(...bounds);
    if (high - low < 1e-9) {
      low -= 0.5;
      high += 0.5;
    }
    const width = (high - low) / HISTOGRAM_BINS;
    const centres = [];
    const counts = new Array(HISTOGRAM_BINS).fill(0);
    for (let i = 0; i < HISTOGRAM_BINS; i++) {
      centres.push(low + (i + 0.5) * width);
    }
    for (const score of scores) {
      counts[Math.min(HISTOGRAM_BINS - 1, Math.floor((score - low) / width))]++;
    }
    return { data: [centres, counts], threshold: threshold, range: [low, high] };
  }

  // --- charts (uPlot)

  // a draw hook: a dashed line and the new version's name at each of changes() ({ seconds,
  // version }), in uPlot's own draw pass; the chart's element says how many it drew
  function modelChangeMarks(changes) {
    return (chart) => drawModelChanges(chart, changes());
  }

  function drawModelChanges(chart, changes) {
    let drawn = 0;
    const ctx = chart.ctx;
    const ratio = window.devicePixelRatio || 1;
    ctx.save();
    ctx.strokeStyle = '#7b3fa0';
    ctx.fillStyle = '#7b3fa0';
    ctx.lineWidth = ratio;
    ctx.setLineDash([4 * ratio, 3 * ratio]);
    ctx.font = 10 * ratio + 'px sans-serif';
    for (const change of changes) {
      if (change.seconds < chart.scales.x.min || change.seconds > chart.scales.x.max) {
        continue;
      }
      drawn++;
      const x = chart.valToPos(change.seconds, 'x', true);
      ctx.beginPath();
      ctx.moveTo(x, chart.bbox.top);
      ctx.lineTo(x, chart.bbox.top + chart.bbox.height);
      ctx.stroke();
      // the name right of the line, or left of it where it would leave the plot
      const width = ctx.measureText(change.version).width;
      const right = x + 3 * ratio + width <= chart.bbox.left + chart.bbox.width;
      ctx.fillText(change.version, right ? x + 3 * ratio : x - 3 * ratio - width,
        chart.bbox.top + 10 * ratio);
    }
    ctx.restore();
    chart.root.dataset.modelMarks = String(drawn);
  }

  // where the windows' model version changed: at the end of the first window of each new
  // version (the drift chart's x); when no window names its version, the rows' changes
  function windowModelChanges(windows) {
    const named = windows
      .filter((w) => w.model_version && instantSeconds(w.window_end) !== null)
      .sort((a, b) => instantSeconds(a.window_end) - instantSeconds(b.window_end));
    if (!named.length) {
      return state.modelChanges;
    }
    const changes = [];
    for (let i = 1; i < named.length; i++) {
      if (named[i].model_version !== named[i - 1].model_version) {
        changes.push({
          seconds: instantSeconds(named[i].window_end),
          version: named[i].model_version,
        });
      }
    }
    return changes;
  }

  function chartSize() {
    return { width: 520, height: 200 };
  }

  const rateChart = new uPlot(
    Object.assign(chartSize(), {
      scales: { x: { time: true } },
      legend: { show: false },
      series: [{}, { label: 'messages/s', stroke: '#3366cc', fill: 'rgba(51,102,204,0.15)' }],
      hooks: { draw: [modelChangeMarks(() => state.modelChanges)] },
    }),
    [[], []],
    byId('chart-rate'),
  );

  const anomalyChart = new uPlot(
    Object.assign(chartSize(), {
      scales: { x: { time: true } },
      legend: { show: false },
      series: [
        {},
        {
          label: 'anomalies/min',
          stroke: '#cc3333',
          fill: 'rgba(204,51,51,0.35)',
          paths: uPlot.paths.bars({ size: [0.8, 40] }),
          points: { show: false },
        },
      ],
      hooks: { draw: [modelChangeMarks(() => state.modelChanges)] },
    }),
    [[], []],
    byId('chart-anomalies'),
  );

  let scoreHistogram = histogram([]);
  const scoreChart = new uPlot(
    Object.assign(chartSize(), {
      scales: { x: { time: false, range: () => scoreHistogram.range } },
      legend: { show: false },
      series: [
        { label: 'score' },
        {
          label: 'rows',
          stroke: '#555',
          fill: 'rgba(85,85,85,0.3)',
          paths: uPlot.paths.bars({ size: [0.95, 100] }),
          points: { show: false },
        },
      ],
      hooks: {
        // the threshold as a vertical line over the bars, in uPlot's own draw pass
        draw: [
          (chart) => {
            if (scoreHistogram.threshold === null) {
              return;
            }
            const x = chart.valToPos(scoreHistogram.threshold, 'x', true);
            const ctx = chart.ctx;
            ctx.save();
            ctx.strokeStyle = '#d62728';
            ctx.lineWidth = 2 * (window.devicePixelRatio || 1);
            ctx.beginPath();
            ctx.moveTo(x, chart.bbox.top);
            ctx.lineTo(x, chart.bbox.top + chart.bbox.height);
            ctx.stroke();
            ctx.restore();
          },
        ],
      },
    }),
    scoreHistogram.data,
    byId('chart-scores'),
  );

  // the map: the recent rows of the latest model version at their map_x/map_y (coordinates of
  // one version's basis only mean something beside each other), sorted by map_x because uPlot
  // wants ascending x; normal and flagged rows are two point series, no lines
  let mapRows = [];
  function mapData(rows) {
    mapRows = rows
      .filter(
        (row) =>
          row.model_version === state.modelVersion &&
          typeof row.map_x === 'number' &&
          typeof row.map_y === 'number',
      )
      .sort((a, b) => a.map_x - b.map_x);
    return [
      mapRows.map((row) => row.map_x),
      mapRows.map((row) => (row.is_anomaly ? null : row.map_y)),
      mapRows.map((row) => (row.is_anomaly ? row.map_y : null)),
    ];
  }

  function pointSeries(label, colour) {
    return {
      label: label,
      stroke: colour,
      fill: colour,
      paths: () => null,
      points: { show: true, size: 5, stroke: colour, fill: colour },
    };
  }

  const mapChart = new uPlot(
    Object.assign(chartSize(), {
      scales: { x: { time: false } },
      legend: { show: false },
      series: [{ label: 'map_x' }, pointSeries('normal', '#3366cc'), pointSeries('anomaly', '#d62728')],
      hooks: {
        // the hovered row's text, as text
        setCursor: [
          (chart) => {
            const row = chart.cursor.idx == null ? null : mapRows[chart.cursor.idx];
            byId('map-hover').textContent = row ? row.uid + ': ' + (row.text || '') : '';
          },
        ],
      },
    }),
    [[], [], []],
    byId('chart-map'),
  );

  // the drift panel: score and threshold per window end; drifting windows as red points;
  // model version changes marked as on the time series
  let driftModelChanges = [];
  const driftChart = new uPlot(
    Object.assign(chartSize(), {
      scales: { x: { time: true } },
      legend: { show: false },
      series: [
        {},
        { label: 'drift score', stroke: '#3366cc', width: 2, points: { show: true, size: 4 } },
        { label: 'threshold', stroke: '#d62728', width: 1, dash: [6, 4], points: { show: false } },
        pointSeries('drifting', '#d62728'),
      ],
      hooks: { draw: [modelChangeMarks(() => driftModelChanges)] },
    }),
    [[], [], [], []],
    byId('chart-drift'),
  );

  function instantSeconds(text) {
    const millis = Date.parse(text);
    return Number.isNaN(millis) ? null : millis / 1000;
  }

  function formatInstant(text) {
    const seconds = instantSeconds(text);
    return seconds === null
      ? '–'
      : new Date(seconds * 1000).toLocaleString([], { hour12: false });
  }

  function number(value) {
    return typeof value === 'number' ? value : null;
  }

  function driftData(windows) {
    const rows = windows
      .filter((w) => instantSeconds(w.window_end) !== null)
      .sort((a, b) => instantSeconds(a.window_end) - instantSeconds(b.window_end));
    // overlapping windows have distinct ends; a late pane replaced its window already
    return [
      rows.map((w) => instantSeconds(w.window_end)),
      rows.map((w) => number(w.drift_score)),
      rows.map((w) => number(w.drift_threshold)),
      rows.map((w) => (w.is_drift === true ? number(w.drift_score) : null)),
    ];
  }

  function span(text, className) {
    const element = document.createElement('span');
    element.textContent = text;
    element.className = className;
    return element;
  }

  function topicItem(topic) {
    const li = document.createElement('li');
    li.className = 'topic';
    li.dataset.topicId = topic.topic_id;
    const head = document.createElement('div');
    head.className = 'topic-head';
    head.append(
      span(topic.topic_id, 'topic-id'),
      span(topic.size + ' messages', 'topic-size'),
      span(
        'windows ending ' +
          formatInstant(topic.first_window_end) +
          ' → ' +
          formatInstant(topic.last_window_end),
        'topic-when',
      ),
    );
    const terms = document.createElement('div');
    terms.className = 'topic-terms';
    terms.textContent = 'terms: ' + ((topic.terms || []).join(', ') || '–');
    const examples = document.createElement('ul');
    examples.className = 'examples';
    for (const example of (topic.examples || []).slice(0, TOPIC_EXAMPLES)) {
      const item = document.createElement('li');
      item.textContent = example;
      examples.append(item);
    }
    li.append(head, terms, examples);
    return li;
  }

  function renderStreamView() {
    const windows = Array.from(state.windows.values());
    const topics = Array.from(state.topics.values()).sort(
      (a, b) =>
        compareInstants(b.last_window_end, a.last_window_end) ||
        compareInstants(b.first_window_end, a.first_window_end) ||
        b.size - a.size,
    );
    const panel = byId('stream-view');
    let note;
    if (windows.length || topics.length) {
      panel.dataset.state = 'live';
      const withDrift = windows.filter((w) => typeof w.drift_score === 'number').length;
      note = withDrift
        ? ''
        : 'no drift score: the model version has no drift reference (drift.bin)';
    } else if (streamViewFollowed) {
      panel.dataset.state = 'waiting';
      note =
        'no stream-view rows yet: the detector writes windows/ and topics/ with --windowMinutes' +
        ' above 0 (off on the DirectRunner over Pub/Sub)';
    } else {
      panel.dataset.state = 'off';
      note =
        'not followed: give the dashboard --rows=DIR (windows/ and topics/ beside it) or' +
        ' --streamView=OUTPUT_DIR';
    }
    byId('stream-view-note').textContent = note;
    driftModelChanges = windowModelChanges(windows);
    driftChart.setData(driftData(windows));
    byId('window-count').textContent = String(windows.length);
    const latest = windows.reduce(
      (a, w) => (a === null || compareInstants(w.window_end, a.window_end) > 0 ? w : a),
      null,
    );
    byId('drift-latest').textContent = latest
      ? 'latest window ending ' +
        formatInstant(latest.window_end) +
        ': ' +
        latest.messages +
        ' messages, ' +
        (latest.anomalies || 0) +
        ' anomalies, ' +
        (typeof latest.drift_score === 'number'
          ? 'drift ' +
            latest.drift_score.toFixed(3) +
            ' against ' +
            (typeof latest.drift_threshold === 'number'
              ? latest.drift_threshold.toFixed(3)
              : '–') +
            (latest.is_drift ? ': drifting' : '')
          : 'no drift score') +
        (latest.pane_timing === 'LATE' ? ' (late pane ' + latest.pane_index + ')' : '')
      : '';
    byId('topic-count').textContent = String(topics.length);
    byId('topic-list').replaceChildren(...topics.slice(0, LISTED_TOPICS).map(topicItem));
    document.body.dataset.windows = String(windows.length);
    document.body.dataset.drifting = String(windows.filter((w) => w.is_drift === true).length);
    document.body.dataset.driftModelChanges = String(driftModelChanges.length);
    document.body.dataset.topics = String(topics.length);
  }

  // --- the rest of the page

  function formatTime(row) {
    const date = new Date(rowSeconds(row) * 1000);
    return date.toLocaleTimeString([], { hour12: false });
  }

  function cell(text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) {
      td.className = className;
    }
    return td;
  }

  function renderAnomalies() {
    const filter = byId('filter').value.trim().toLowerCase();
    const body = byId('anomaly-rows');
    const rows = [];
    for (const row of state.anomalies) {
      const text = row.text || '';
      if (filter && !text.toLowerCase().includes(filter) && !row.uid.toLowerCase().includes(filter)) {
        continue;
      }
      const tr = document.createElement('tr');
      tr.append(
        cell(formatTime(row), 'time'),
        cell(row.uid, 'uid'),
        cell(typeof row.score === 'number' ? row.score.toFixed(4) : '–', 'score'),
        cell(text, 'text'),
        cell(row.model_version || '–', 'model'),
      );
      rows.push(tr);
    }
    body.replaceChildren(...rows);
    document.body.dataset.anomaliesListed = String(rows.length);
  }

  function render() {
    const now = Math.floor(Date.now() / 1000);
    const hourAgo = now - HOUR_SECONDS;
    forgetOlderThan(state.perSecond, hourAgo);
    forgetOlderThan(state.anomaliesPerMinute, Math.floor(hourAgo / 60) * 60);
    rateChart.setData(timeSeries(state.perSecond, hourAgo, now, 1));
    anomalyChart.setData(
      timeSeries(state.anomaliesPerMinute, Math.floor(hourAgo / 60) * 60, now, 60),
    );
    if (state.streamDirty) {
      state.streamDirty = false;
      renderStreamView();
    }
    if (!dirty) {
      return;
    }
    dirty = false;
    scoreHistogram = histogram(state.recent);
    scoreChart.setData(scoreHistogram.data);
    mapChart.setData(mapData(state.recent));
    byId('map-count').textContent = String(mapRows.length);
    byId('map-version').textContent = state.modelVersion || '–';
    const flagged = state.recent.filter((row) => row.is_anomaly).length;
    byId('anomaly-rate').textContent = state.recent.length
      ? ((100 * flagged) / state.recent.length).toFixed(1) + ' %'
      : '–';
    byId('rate-window').textContent = String(RECENT_ROWS);
    byId('histogram-window').textContent = String(RECENT_ROWS);
    const latest = state.recent.length ? state.recent[state.recent.length - 1] : null;
    byId('calibrated-rate').textContent =
      latest && typeof latest.target_false_alarm_rate === 'number'
        ? 'calibrated for ' + (100 * latest.target_false_alarm_rate).toFixed(1) + ' % false alarms'
        : '';
    byId('model-version').textContent = state.modelVersion || '–';
    document.body.dataset.modelChanges = String(state.modelChanges.length);
    renderAnomalies();
    document.body.dataset.rowsHere = String(state.rowsHere);
  }

  function showStats(stats) {
    byId('count-rows').textContent = String(stats.rows);
    byId('count-anomalies').textContent = String(stats.anomalies);
    byId('count-malformed').textContent = String(stats.malformed);
    byId('count-dropped').textContent = stats.dropped + ' / ' + stats.dropped_here;
  }

  function setConnection(name) {
    document.body.dataset.connection = name;
    byId('connection').textContent = name;
  }

  // --- the event stream; EventSource reconnects by itself and sends Last-Event-ID

  const events = new EventSource('/events');
  events.addEventListener('open', () => setConnection('open'));
  events.addEventListener('error', () =>
    setConnection(events.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting'),
  );
  events.addEventListener('hello', (event) => {
    const epoch = JSON.parse(event.data).epoch;
    if (serverEpoch !== null && epoch !== serverEpoch) {
      // a restarted server sends its recent rows again: start over rather than count them twice
      resetState();
    }
    serverEpoch = epoch;
    streamViewFollowed = JSON.parse(event.data).stream_view === true;
    state.streamDirty = true;
  });
  events.addEventListener('row', (event) => addRow(JSON.parse(event.data)));
  events.addEventListener('window', (event) => addWindow(JSON.parse(event.data)));
  events.addEventListener('topic', (event) => addTopic(JSON.parse(event.data)));
  events.addEventListener('stats', (event) => showStats(JSON.parse(event.data)));

  byId('filter').addEventListener('input', renderAnomalies);
  setInterval(render, REDRAW_MILLIS);
  render();
})();
