package io.steward.core.checks.imports;

import com.fasterxml.jackson.annotation.JsonValue;
import io.steward.core.checks.Vantages;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** The files {@code POST /api/checks/import} reads, by the {@code format} the request names. */
public enum ImportFormat {
    /** Uptime Kuma's JSON backup. */
    UPTIME_KUMA("uptime-kuma"),
    /** Gatus's config.yaml. */
    GATUS("gatus");

    private final String wireName;

    ImportFormat(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The format named {@code wireName} in a request. */
    public static ImportFormat of(@Nullable String wireName) {
        return Arrays.stream(values()).filter(format -> format.wireName.equals(wireName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("format: must be one of "
                        + Arrays.stream(values()).map(ImportFormat::wireName).collect(Collectors.joining(", "))
                        + (wireName == null ? "" : ", was '" + Fields.clip(wireName) + "'")));
    }

    /**
     * The checks of {@code content}.
     *
     * @param vantages where every imported check runs from; null for the definitions' default
     * @throws IllegalArgumentException when the file is not of this format, too large or has too many entries
     */
    public ImportResult parse(String content, @Nullable Vantages vantages) {
        return switch (this) {
            case UPTIME_KUMA -> vantages == null ? UptimeKumaImport.parse(content)
                    : UptimeKumaImport.parse(content, vantages);
            case GATUS -> vantages == null ? GatusImport.parse(content) : GatusImport.parse(content, vantages);
        };
    }
}
