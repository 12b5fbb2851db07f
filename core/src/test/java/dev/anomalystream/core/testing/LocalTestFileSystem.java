package dev.anomalystream.core.testing;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystem;
import org.apache.beam.sdk.io.FileSystemRegistrar;
import org.apache.beam.sdk.io.fs.CreateOptions;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A non-local Beam file system for tests: {@code testfs:///a/b} is the file {@code a/b} under a
 * local root directory. Like {@code gs://}, it exists only once {@code
 * FileSystems.setDefaultPipelineOptions} has run with options that configure it (here {@link
 * Options#getTestFsRoot}), so code that reads a model before registering file systems fails with
 * "No filesystem found for scheme testfs", as it would with a {@code gs://} model on Dataflow.
 * Registered through {@code META-INF/services/org.apache.beam.sdk.io.FileSystemRegistrar}.
 */
public final class LocalTestFileSystem extends FileSystem<LocalTestFileSystem.Resource> {
  public static final String SCHEME = "testfs";

  /** The local directory {@code testfs:///} stands for; unset, the scheme is not registered. */
  public interface Options extends PipelineOptions {
    @Description("Local directory that testfs:/// maps onto (tests only)")
    String getTestFsRoot();

    void setTestFsRoot(String value);
  }

  /** Found by Beam's ServiceLoader; offers the file system only to options naming a root. */
  public static final class Registrar implements FileSystemRegistrar {
    @Override
    public Iterable<FileSystem<?>> fromOptions(PipelineOptions options) {
      String root = options.as(Options.class).getTestFsRoot();
      return root == null ? List.of() : List.of(new LocalTestFileSystem(Path.of(root)));
    }
  }

  /** A path under the root, always starting with "/"; directories end with "/". */
  public record Resource(String path) implements ResourceId {
    @Override
    public ResourceId resolve(String other, ResolveOptions options) {
      String base = isDirectory() ? path : path + "/";
      boolean directory = options == ResolveOptions.StandardResolveOptions.RESOLVE_DIRECTORY;
      return new Resource(base + other + (directory && !other.endsWith("/") ? "/" : ""));
    }

    @Override
    public ResourceId getCurrentDirectory() {
      return isDirectory() ? this : new Resource(path.substring(0, path.lastIndexOf('/') + 1));
    }

    @Override
    public String getScheme() {
      return SCHEME;
    }

    @Override
    public String getFilename() {
      String trimmed = isDirectory() ? path.substring(0, path.length() - 1) : path;
      return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    @Override
    public boolean isDirectory() {
      return path.endsWith("/");
    }

    @Override
    public String toString() {
      return SCHEME + "://" + path;
    }
  }

  private final Path root;

  private LocalTestFileSystem(Path root) {
    this.root = root;
  }

  /** The {@code testfs://} URI of a local file or directory under {@code root}. */
  public static String uri(Path root, Path local) {
    String relative = root.relativize(local).toString().replace('\\', '/');
    return SCHEME + ":///" + relative + (Files.isDirectory(local) ? "/" : "");
  }

  private Path local(Resource resource) {
    return root.resolve(resource.path().substring(1));
  }

  @Override
  protected List<MatchResult> match(List<String> specs) throws IOException {
    List<MatchResult> results = new ArrayList<>();
    for (String spec : specs) {
      Resource pattern = matchNewResource(spec, false);
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + local(pattern));
      List<MatchResult.Metadata> found = new ArrayList<>();
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(Files::isRegularFile).filter(matcher::matches).toList()) {
          found.add(
              MatchResult.Metadata.builder()
                  .setResourceId(new Resource("/" + root.relativize(file).toString()))
                  .setSizeBytes(Files.size(file))
                  .setIsReadSeekEfficient(true)
                  .setLastModifiedMillis(Files.getLastModifiedTime(file).toMillis())
                  .build());
        }
      }
      results.add(
          found.isEmpty()
              ? MatchResult.create(MatchResult.Status.NOT_FOUND, new FileNotFoundException(spec))
              : MatchResult.create(MatchResult.Status.OK, found));
    }
    return results;
  }

  @Override
  protected WritableByteChannel create(Resource resource, CreateOptions options)
      throws IOException {
    Files.createDirectories(local(resource).getParent());
    return FileChannel.open(
        local(resource),
        StandardOpenOption.CREATE,
        StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  @Override
  protected ReadableByteChannel open(Resource resource) throws IOException {
    return FileChannel.open(local(resource), StandardOpenOption.READ);
  }

  @Override
  protected void copy(List<Resource> from, List<Resource> to) throws IOException {
    for (int i = 0; i < from.size(); i++) {
      Files.createDirectories(local(to.get(i)).getParent());
      Files.copy(local(from.get(i)), local(to.get(i)), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  protected void rename(List<Resource> from, List<Resource> to, MoveOptions... options)
      throws IOException {
    for (int i = 0; i < from.size(); i++) {
      Files.createDirectories(local(to.get(i)).getParent());
      Files.move(local(from.get(i)), local(to.get(i)), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  protected void delete(Collection<Resource> resources) throws IOException {
    for (Resource resource : resources) {
      Files.deleteIfExists(local(resource));
    }
  }

  @Override
  protected Resource matchNewResource(String spec, boolean isDirectory) {
    if (!spec.startsWith(SCHEME + ":///")) {
      throw new IllegalArgumentException("not a " + SCHEME + ":/// URI: " + spec);
    }
    String path = spec.substring(SCHEME.length() + 3);
    return new Resource(isDirectory && !path.endsWith("/") ? path + "/" : path);
  }

  @Override
  protected String getScheme() {
    return SCHEME;
  }
}
