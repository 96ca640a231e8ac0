package io.steward.node.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.steward.node.metrics.MetricExportPlan;
import io.steward.node.metrics.MetricRow;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.util.ByteString;

/**
 * The JSON form of a metric export, written a batch at a time: {@code {"server", "series", "resolution", "from",
 * "to", "rows": [{"time", "series", "value"}, …]}} — the CSV's columns as each row's fields, the same texts for
 * time and value, and what the CSV leaves to its file name in front.
 */
final class MetricExportJson {
    private MetricExportJson() {}

    /** Everything up to the opening bracket of {@code rows}. */
    static ByteString opening(MetricExportPlan plan) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("server", plan.serverId());
            json.writeStringField("series", plan.series());
            json.writeStringField("resolution", plan.resolution().label());
            json.writeStringField("from", plan.from().toString());
            json.writeStringField("to", plan.to().toString());
            json.writeFieldName("rows");
            json.writeStartArray();
            json.writeRaw('\n');
        });
    }

    /** A batch of rows; every batch after the {@code first} starts with the comma that separates it. */
    static ByteString rows(List<MetricRow> rows, boolean first) {
        return write(json -> {
            boolean leading = first;
            for (MetricRow row : rows) {
                if (!leading) {
                    json.writeRaw(",\n");
                }
                leading = false;
                json.writeStartObject();
                json.writeStringField("time", Instant.ofEpochMilli(row.epochMillis()).toString());
                json.writeStringField("series", row.series());
                json.writeFieldName("value");
                json.writeNumber(ExportCells.number(row.value()));
                json.writeEndObject();
            }
        });
    }

    static ByteString closing() {
        return ByteString.fromString("\n]}\n");
    }

    private interface Writing {
        void write(JsonGenerator json) throws IOException;
    }

    private static ByteString write(Writing writing) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(text)) {
            // The document spans many calls: leave what is open for the next batch.
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
            json.setRootValueSeparator(null);
            writing.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON to memory", e);
        }
        return ByteString.fromString(text.toString());
    }
}
