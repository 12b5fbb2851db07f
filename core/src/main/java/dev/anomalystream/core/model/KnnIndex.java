package dev.anomalystream.core.model;

import dev.anomalystream.core.simd.Simd;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.hnsw.HnswConcurrentMergeBuilder;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.NeighborArray;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * An HNSW graph (Lucene's {@code org.apache.lucene.util.hnsw}) over a model's unit-length training
 * vectors, so the kNN score's neighbours are found in about log(n) steps instead of a pass over
 * every vector. The graph holds node numbers only; the vectors stay where they are (the HDBSCAN
 * model's training points), and the file ({@value #FILE}) records their count, dimension and a
 * fingerprint so an index is never used with vectors it was not built on.
 *
 * <p>A search keeps the best {@link #searchBeam()} candidates (Lucene's k, the "ef" of the HNSW
 * paper); the k returned are the best of those by exact dot product. The beam is fixed at build
 * time and stored, so serving uses the beam the recall was measured with.
 *
 * <p>A search does not start from the graph's single entry node but from the nearest of the few
 * hundred to few thousand nodes of one upper level (the lowest with at most {@value #MAX_PIVOTS}),
 * compared exactly. On clustered vectors the greedy descent from one entry node can end in the
 * wrong cluster, and the bottom-level search then never leaves it (measured on the synthetic topics
 * at 100,000 vectors: a few queries scored 0.45 too far); the nearest pivot is in the query's own
 * cluster.
 *
 * <p>The graph is built and walked with {@link Simd#dot} (SIMD lanes when the JVM has the Vector
 * API: Lucene's own scorer is scalar on Java 17); the k returned are ranked, and their similarities
 * computed, in dimension order as the exact scorer sums them, so a score is the same whichever
 * kernel found its neighbours.
 *
 * <p>Once built or read the graph is immutable, kept as plain int arrays (Lucene's builder graph
 * also keeps a float score per edge), and searched by any number of threads at once.
 */
public final class KnnIndex {
  /** The file in a model version that holds the index; versions without it are scored exactly. */
  public static final String FILE = "knn-index.bin";

  /**
   * Twice Lucene's defaults (16 links, build beam 100): on the synthetic benchmark at 100,000
   * vectors they raised recall@100 at search beam 200 from 0.91 to 0.986, for a graph 1.8 times the
   * size (docs/BENCHMARKS.md, "kNN index").
   */
  public static final int DEFAULT_MAX_CONNECTIONS = 32;

  public static final int DEFAULT_BUILD_BEAM = 200;

  /** At most this many upper-level nodes are compared with a query to choose where it starts. */
  static final int MAX_PIVOTS = 4096;

  private static final int MAGIC = 0x4b4e4e49; // "KNNI"
  private static final int FORMAT_VERSION = 1;

  private final float[][] vectors;
  private final DotProductScorers scorers;
  private final int maxConnections;
  private final int buildBeam;
  private final int searchBeam;
  private final int entryNode;

  /** Per level above 0, its nodes in ascending order; level 0 holds every node. */
  private final int[][] upperLevelNodes;

  /** [level][position of the node on that level (its number on level 0)] → its neighbours. */
  private final int[][][] neighbours;

  /** The level whose nodes are the pivots; 0 when the graph has no upper level. */
  private final int pivotLevel;

  private KnnIndex(
      float[][] vectors,
      int maxConnections,
      int buildBeam,
      int searchBeam,
      int entryNode,
      int[][] upperLevelNodes,
      int[][][] neighbours) {
    this.vectors = vectors;
    this.scorers = new DotProductScorers(vectors);
    this.maxConnections = maxConnections;
    this.buildBeam = buildBeam;
    this.searchBeam = searchBeam;
    this.entryNode = entryNode;
    this.upperLevelNodes = upperLevelNodes;
    this.neighbours = neighbours;
    int level = 1;
    while (level < neighbours.length && upperLevelNodes[level].length > MAX_PIVOTS) {
      level++;
    }
    this.pivotLevel = level < neighbours.length ? level : 0;
  }

  /**
   * Builds the graph with one worker per core, on the common fork-join pool and the calling thread
   * (Lucene's task executor runs tasks on the caller too, and the common pool has one thread fewer
   * than the cores). On one core the graph depends only on the seed; more workers make it depend on
   * their timing, not its quality.
   *
   * @param vectors unit-length vectors, all of one dimension; referenced, not copied
   * @param searchBeam candidates a search keeps, at least the k it is asked for
   */
  public static KnnIndex build(
      float[][] vectors, int maxConnections, int buildBeam, int searchBeam, long seed) {
    if (vectors.length == 0) {
      throw new IllegalArgumentException("an index needs at least one vector");
    }
    if (searchBeam < 1) {
      throw new IllegalArgumentException("the search beam must be at least 1, was " + searchBeam);
    }
    int dimension = vectors[0].length;
    for (int i = 0; i < vectors.length; i++) {
      if (vectors[i].length != dimension) {
        throw new IllegalArgumentException(
            "vector " + i + " has " + vectors[i].length + " dimensions, the first " + dimension);
      }
    }
    try {
      DotProductScorers scorers = new DotProductScorers(vectors);
      HnswGraphBuilder single =
          HnswGraphBuilder.create(scorers, maxConnections, buildBeam, seed, vectors.length);
      int threads = Runtime.getRuntime().availableProcessors();
      OnHeapHnswGraph graph =
          threads > 1 && vectors.length > 1
              ? new HnswConcurrentMergeBuilder(
                      new TaskExecutor(ForkJoinPool.commonPool()),
                      threads,
                      scorers,
                      maxConnections,
                      buildBeam,
                      single.getGraph(),
                      null)
                  .build(vectors.length)
              : single.build(vectors.length);
      return fromGraph(vectors, maxConnections, buildBeam, searchBeam, graph);
    } catch (IOException e) {
      throw new UncheckedIOException("on-heap vectors cannot fail to read", e);
    }
  }

  private static KnnIndex fromGraph(
      float[][] vectors, int maxConnections, int buildBeam, int searchBeam, OnHeapHnswGraph graph)
      throws IOException {
    int levels = graph.numLevels();
    int[][] upper = new int[levels][];
    int[][][] links = new int[levels][][];
    for (int level = 0; level < levels; level++) {
      int[] nodes =
          level == 0 ? null : HnswGraph.NodesIterator.getSortedNodes(graph.getNodesOnLevel(level));
      upper[level] = nodes;
      int count = nodes == null ? vectors.length : nodes.length;
      links[level] = new int[count][];
      for (int i = 0; i < count; i++) {
        NeighborArray array = graph.getNeighbors(level, nodes == null ? i : nodes[i]);
        links[level][i] = Arrays.copyOf(array.nodes(), array.size());
      }
    }
    return new KnnIndex(
        vectors, maxConnections, buildBeam, searchBeam, graph.entryNode(), upper, links);
  }

  /** The same graph searched with another beam: for measuring recall against the beam. */
  public KnnIndex withSearchBeam(int beam) {
    if (beam < 1) {
      throw new IllegalArgumentException("the search beam must be at least 1, was " + beam);
    }
    return new KnnIndex(
        vectors, maxConnections, buildBeam, beam, entryNode, upperLevelNodes, neighbours);
  }

  public int size() {
    return vectors.length;
  }

  public int searchBeam() {
    return searchBeam;
  }

  /** Levels of the graph, for messages and benchmarks. */
  public int levels() {
    return neighbours.length;
  }

  /** Links stored in the graph, all levels: the file holds four bytes for each. */
  public long links() {
    long links = 0;
    for (int[][] level : neighbours) {
      for (int[] nodeLinks : level) {
        links += nodeLinks.length;
      }
    }
    return links;
  }

  /**
   * The approximate k nearest vectors to {@code query} by dot product, nearest first.
   *
   * @param query a unit-length vector of the index's dimension
   * @param k at most {@link #searchBeam()}
   */
  public int[] nearest(float[] query, int k) {
    if (k > searchBeam) {
      throw new IllegalArgumentException(
          "k (" + k + ") exceeds the index's search beam (" + searchBeam + ")");
    }
    TopKnnCollector collector = new TopKnnCollector(searchBeam, Integer.MAX_VALUE);
    try {
      HnswGraphSearcher.search(
          scorers.scorerFor(query), collector, new Cursor(startNode(query), pivotLevel + 1), null);
    } catch (IOException e) {
      throw new UncheckedIOException("on-heap vectors cannot fail to read", e);
    }
    ScoreDoc[] candidates = collector.topDocs().scoreDocs;
    // Lucene's score is (1 + dot) / 2 in float; rank by the exact dot product instead, so ties in
    // that rounding cannot drop a nearer candidate
    long[] ranked = new long[candidates.length];
    for (int i = 0; i < candidates.length; i++) {
      float dot = dot(query, vectors[candidates[i].doc]);
      ranked[i] = ((long) sortableDescending(dot) << 32) | candidates[i].doc;
    }
    Arrays.sort(ranked);
    int[] nearest = new int[Math.min(k, ranked.length)];
    for (int i = 0; i < nearest.length; i++) {
      nearest[i] = (int) ranked[i];
    }
    return nearest;
  }

  /** The dot product of {@code query} with indexed vector {@code node}. */
  float similarity(float[] query, int node) {
    return dot(query, vectors[node]);
  }

  /** The pivot nearest to {@code query}, or the entry node when the graph has one level. */
  private int startNode(float[] query) {
    if (pivotLevel == 0) {
      return entryNode;
    }
    int best = -1;
    float bestSimilarity = Float.NEGATIVE_INFINITY;
    for (int node : upperLevelNodes[pivotLevel]) {
      float similarity = Simd.dot(query, vectors[node]);
      if (similarity > bestSimilarity) {
        bestSimilarity = similarity;
        best = node;
      }
    }
    return best;
  }

  /** The exact k nearest by brute force, nearest first: what recall is measured against. */
  public static int[] exactNearest(float[][] vectors, float[] query, int k) {
    long[] ranked = new long[vectors.length];
    for (int i = 0; i < vectors.length; i++) {
      ranked[i] = ((long) sortableDescending(dot(query, vectors[i])) << 32) | i;
    }
    Arrays.sort(ranked);
    int[] nearest = new int[Math.min(k, ranked.length)];
    for (int i = 0; i < nearest.length; i++) {
      nearest[i] = (int) ranked[i];
    }
    return nearest;
  }

  /** The dot product summed in dimension order, as the exact scorer sums it. */
  static float dot(float[] a, float[] b) {
    float sum = 0;
    for (int d = 0; d < a.length; d++) {
      sum += a[d] * b[d];
    }
    return sum;
  }

  /** An int whose signed order is the descending order of {@code value}. */
  private static int sortableDescending(float value) {
    int bits = Float.floatToIntBits(value);
    int ascending = bits ^ ((bits >> 31) & 0x7fffffff);
    return ~ascending;
  }

  /**
   * Writes the graph with what identifies its vectors (count, dimension, fingerprint).
   *
   * @param out the version file's stream
   */
  public void writeTo(DataOutputStream out) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(FORMAT_VERSION);
    out.writeInt(vectors.length);
    out.writeInt(vectors[0].length);
    out.writeLong(fingerprint(vectors));
    out.writeInt(maxConnections);
    out.writeInt(buildBeam);
    out.writeInt(searchBeam);
    out.writeInt(neighbours.length);
    out.writeInt(entryNode);
    for (int level = 0; level < neighbours.length; level++) {
      int[] nodes = upperLevelNodes[level];
      out.writeInt(neighbours[level].length);
      for (int i = 0; i < neighbours[level].length; i++) {
        if (nodes != null) {
          out.writeInt(nodes[i]);
        }
        int[] links = neighbours[level][i];
        out.writeInt(links.length);
        for (int link : links) {
          out.writeInt(link);
        }
      }
    }
  }

  /**
   * Reads an index written by {@link #writeTo} for {@code vectors}.
   *
   * @param source the file, for messages
   * @throws IOException naming {@code source} when the file is not an index, is truncated, or was
   *     built on other vectors
   */
  public static KnnIndex readFrom(DataInputStream in, float[][] vectors, String source)
      throws IOException {
    try {
      if (in.readInt() != MAGIC) {
        throw new IOException(source + " is not a kNN index");
      }
      int format = in.readInt();
      if (format != FORMAT_VERSION) {
        throw new IOException(
            source + " has kNN index format " + format + ", this code reads " + FORMAT_VERSION);
      }
      int count = in.readInt();
      int dimension = in.readInt();
      long fingerprint = in.readLong();
      if (vectors.length == 0
          || count != vectors.length
          || dimension != vectors[0].length
          || fingerprint != fingerprint(vectors)) {
        throw new IOException(
            source
                + " was built on other training vectors ("
                + count
                + " x "
                + dimension
                + ", fingerprint "
                + Long.toHexString(fingerprint)
                + ") than the model's ("
                + vectors.length
                + " x "
                + (vectors.length == 0 ? 0 : vectors[0].length)
                + ", fingerprint "
                + Long.toHexString(fingerprint(vectors))
                + ")");
      }
      int maxConnections = in.readInt();
      int buildBeam = in.readInt();
      int searchBeam = in.readInt();
      int levels = in.readInt();
      int entryNode = in.readInt();
      require(searchBeam >= 1 && levels >= 1, source, "its header is inconsistent");
      require(entryNode >= 0 && entryNode < count, source, "its entry node is out of range");
      int[][] upper = new int[levels][];
      int[][][] links = new int[levels][][];
      for (int level = 0; level < levels; level++) {
        int nodesOnLevel = in.readInt();
        require(
            level == 0 ? nodesOnLevel == count : nodesOnLevel >= 1 && nodesOnLevel <= count,
            source,
            "level " + level + " holds " + nodesOnLevel + " nodes");
        upper[level] = level == 0 ? null : new int[nodesOnLevel];
        links[level] = new int[nodesOnLevel][];
        for (int i = 0; i < nodesOnLevel; i++) {
          if (level > 0) {
            int node = in.readInt();
            require(
                node >= 0 && node < count && (i == 0 || node > upper[level][i - 1]),
                source,
                "level " + level + " lists node " + node + " out of order or range");
            upper[level][i] = node;
          }
          int linkCount = in.readInt();
          require(
              linkCount >= 0 && linkCount <= 2 * maxConnections,
              source,
              "a node has " + linkCount + " links");
          int[] nodeLinks = new int[linkCount];
          for (int j = 0; j < linkCount; j++) {
            nodeLinks[j] = in.readInt();
            require(nodeLinks[j] >= 0 && nodeLinks[j] < count, source, "a link is out of range");
          }
          links[level][i] = nodeLinks;
        }
      }
      require(
          levels == 1 || Arrays.binarySearch(upper[levels - 1], entryNode) >= 0,
          source,
          "its entry node is not on the top level");
      require(in.read() == -1, source, "it has bytes after the graph");
      return new KnnIndex(vectors, maxConnections, buildBeam, searchBeam, entryNode, upper, links);
    } catch (EOFException e) {
      throw new IOException(source + " is truncated: it ends inside the kNN index", e);
    }
  }

  private static void require(boolean condition, String source, String problem) throws IOException {
    if (!condition) {
      throw new IOException(source + " is not a valid kNN index: " + problem);
    }
  }

  /** A 64-bit hash of every component's bits, in order. */
  static long fingerprint(float[][] vectors) {
    long hash = 0xcbf29ce484222325L;
    for (float[] vector : vectors) {
      for (float component : vector) {
        hash = (hash ^ Float.floatToIntBits(component)) * 0x100000001b3L;
      }
    }
    return hash;
  }

  /**
   * Lucene's DOT_PRODUCT score, (1 + dot) / 2 floored at 0, over the vectors in place, with {@link
   * Simd#dot}. Keeps nothing per search, so every build worker and search shares one.
   */
  private static final class DotProductScorers implements RandomVectorScorerSupplier {
    private final float[][] vectors;

    DotProductScorers(float[][] vectors) {
      this.vectors = vectors;
    }

    RandomVectorScorer scorerFor(float[] query) {
      return new RandomVectorScorer() {
        @Override
        public float score(int node) {
          return Math.max((1 + Simd.dot(query, vectors[node])) / 2, 0);
        }

        @Override
        public int maxOrd() {
          return vectors.length;
        }
      };
    }

    @Override
    public RandomVectorScorer scorer(int node) {
      return scorerFor(vectors[node]);
    }

    @Override
    public RandomVectorScorerSupplier copy() {
      return this;
    }
  }

  /**
   * A read cursor over the shared graph; Lucene's search seeks, so each search has its own. It
   * shows Lucene the graph from the start node's level down, with the start node as its entry.
   */
  private final class Cursor extends HnswGraph {
    private final int start;
    private final int levels;
    private int[] current = new int[0];
    private int next;

    Cursor(int start, int levels) {
      this.start = start;
      this.levels = levels;
    }

    @Override
    public void seek(int level, int target) {
      int position = level == 0 ? target : Arrays.binarySearch(upperLevelNodes[level], target);
      current = neighbours[level][position];
      next = 0;
    }

    @Override
    public int size() {
      return vectors.length;
    }

    @Override
    public int nextNeighbor() {
      return next < current.length ? current[next++] : DocIdSetIterator.NO_MORE_DOCS;
    }

    @Override
    public int numLevels() {
      return levels;
    }

    @Override
    public int entryNode() {
      return start;
    }

    @Override
    public NodesIterator getNodesOnLevel(int level) {
      return level == 0
          ? new ArrayNodesIterator(vectors.length)
          : new ArrayNodesIterator(upperLevelNodes[level], upperLevelNodes[level].length);
    }
  }
}
