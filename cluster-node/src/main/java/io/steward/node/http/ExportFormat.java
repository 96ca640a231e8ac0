package io.steward.node.http;

import io.steward.node.problem.Problem;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.MediaTypes;

/** The file formats of the export endpoints ({@code ?format=csv|json}). */
enum ExportFormat {
    CSV("csv", ContentTypes.create(MediaTypes.TEXT_CSV, HttpCharsets.UTF_8)),
    JSON("json", ContentTypes.APPLICATION_JSON);

    private final String extension;
    private final ContentType contentType;

    ExportFormat(String extension, ContentType contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    /** The {@code format} parameter's value and the file name's extension. */
    String extension() {
        return extension;
    }

    ContentType contentType() {
        return contentType;
    }

    /**
     * The {@code format} query parameter among {@code allowed}; absent means the first allowed one.
     *
     * @throws Problem (invalid) naming the field and the formats allowed
     */
    static ExportFormat parse(Optional<String> text, List<ExportFormat> allowed) {
        if (text.isEmpty()) {
            return allowed.get(0);
        }
        String wanted = text.get().strip().toLowerCase(Locale.ROOT);
        return allowed.stream().filter(format -> format.extension.equals(wanted)).findFirst()
                .orElseThrow(() -> Problem.invalid("format must be " + allowed.stream().map(ExportFormat::extension)
                        .collect(Collectors.joining(" or "))));
    }
}
