package io.steward.node.http;

import io.steward.node.problem.Problem;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /downloads/{file}} (the agent bundle, its .deb, their {@code .sha256}) and {@code GET /install.sh} (the
 * same as {@code /downloads/install.sh}: the one-line install fetches it). Public, like {@code /healthz}: nothing in
 * them is secret (install.sh takes the token as an argument), and a server being installed has no login.
 */
final class DownloadsRoutes extends ApiDirectives {
    private static final ContentType GZIP = ContentTypes.parse("application/gzip");
    private static final ContentType DEBIAN_PACKAGE = ContentTypes.parse("application/vnd.debian.binary-package");

    private final DownloadFiles files;

    DownloadsRoutes(ApiContext context) {
        super(context);
        this.files = new DownloadFiles(context.settings().downloadsDir());
    }

    Route route() {
        return get(() -> respondWithHeaders(List.of(CacheControl.create(CacheDirectives.NO_CACHE)), () -> concat(
                path("install.sh", () -> serve("install.sh")),
                pathPrefix("downloads", () -> path(PathMatchers.segment(), this::serve)))));
    }

    private Route serve(String name) {
        return onSuccess(blocking(() -> files.find(name)), found -> {
            if (found.isEmpty()) {
                return complete(ErrorResponses.of(Problem.notFound(files.configured()
                        ? "no download named " + name
                        : "this node serves no downloads (steward.downloads.dir is not set)")));
            }
            if (found.get() instanceof DownloadFiles.Checksum checksum) {
                return complete(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, checksum.text()));
            }
            return getFromFile(((DownloadFiles.Stored) found.get()).file().toFile(), contentType(name));
        });
    }

    private static ContentType contentType(String name) {
        // A script as text: a browser shows it to read (never runs it: X-Content-Type-Options nosniff).
        if (name.endsWith(".sh") || name.endsWith(".sha256")) {
            return ContentTypes.TEXT_PLAIN_UTF8;
        }
        if (name.endsWith(".tar.gz")) {
            return GZIP;
        }
        if (name.endsWith(".deb")) {
            return DEBIAN_PACKAGE;
        }
        return ContentTypes.APPLICATION_OCTET_STREAM;
    }
}
