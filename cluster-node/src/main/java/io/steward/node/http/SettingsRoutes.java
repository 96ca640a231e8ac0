package io.steward.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steward.node.auth.UserStore;
import io.steward.node.metrics.DataPurge;
import io.steward.node.metrics.StorageUsage;
import io.steward.node.problem.Problem;
import io.steward.node.settings.SettingKey;
import io.steward.node.settings.SettingText;
import io.steward.node.settings.SettingsBook;
import io.steward.node.settings.SettingsValidation;
import io.steward.node.settings.SettingsValidation.Requested;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/settings} (admin): the runtime settings with their values in force, where each comes from and its
 * bounds; a partial update (validated whole: nothing is stored when any field is wrong), audited and announced to
 * every node; the metric tiers' storage; and "purge data older than…" with a preview.
 */
final class SettingsRoutes extends ApiDirectives {
    /** A purge may not reach closer to now than this: the newest data is what the dashboard shows. */
    static final Duration MINIMUM_PURGE_AGE = Duration.ofHours(1);

    /**
     * One setting as the Settings page shows it.
     *
     * @param source "default" (the node's built-in value), "config" (the config file, a flag or an environment
     *     variable) or "database" (an admin's override)
     * @param configValue what the config file (or the default) says, whatever the source: "config says X, overridden"
     * @param min the least value, as text; null for a URL
     */
    public record SettingBody(String key, String value, SettingsBook.Source source, String configValue,
            String configKey, SettingKey.Kind kind, @Nullable String min, @Nullable String max, String description) {}

    /** {@code GET /api/settings} and the answer of a successful PUT. */
    public record SettingsBody(List<SettingBody> settings) {}

    /** A 400 naming each field that is wrong; {@code error} repeats them in one line. */
    public record FieldErrorsBody(String error, Problem.Code code, Map<String, String> fields) {}

    /** {@code GET /api/settings/storage}: rows and bytes per tier, and how they were measured. */
    public record StorageBody(String method, List<StorageUsage.TierUsage> tiers, long totalBytes) {}

    /** {@code POST /api/settings/purge}: a preview unless {@code dryRun} is {@code false}. */
    public record PurgeRequest(String olderThan, @Nullable Boolean dryRun) {
        public PurgeRequest {
            olderThan = Fields.required("olderThan", olderThan, 100);
        }
    }

    /** Rows per tier a purge would delete ({@code dryRun}) or deleted. */
    public record PurgeTier(String tier, String table, long rows) {}

    public record PurgeBody(Instant olderThan, boolean dryRun, List<PurgeTier> tiers, long totalRows) {}

    SettingsRoutes(ApiContext context) {
        super(context);
    }

    Route route(UserStore.User user) {
        return pathPrefix("settings", () -> admin(user, concat(
                pathEndOrSingleSlash(() -> concat(
                        get(() -> complete(Json.ok(describe(context.runtime().book())))),
                        put(() -> optionalHeaderValueByName("Host", host ->
                                body(text -> update(user, Json.object(text), host)))))),
                path("storage", () -> get(() -> onSuccess(blocking(() -> context.runtime().storage().measure()),
                        usage -> complete(Json.ok(new StorageBody(usage.method(), usage.tiers(),
                                usage.tiers().stream().mapToLong(StorageUsage.TierUsage::bytes).sum())))))),
                path("purge", () -> post(() -> jsonBody(PurgeRequest.class, body -> purge(user, body)))))));
    }

    static SettingsBody describe(SettingsBook book) {
        Map<SettingKey, String> effective = book.effective();
        List<SettingBody> settings = new ArrayList<>();
        for (SettingKey key : SettingKey.values()) {
            settings.add(new SettingBody(key.wireName(), effective.get(key), book.source(key),
                    book.configured().get(key), key.configPath(), key.kind(),
                    key.minText(), key.maxText(), key.description()));
        }
        return new SettingsBody(List.copyOf(settings));
    }

    private Route update(UserStore.User user, ObjectNode body, Optional<String> host) {
        Map<String, Requested> request = requested(body);
        return onSuccess(blocking(() -> {
            SettingsBook book = context.runtime().book();
            // Validated against the table as it is now, not this node's last reading of it.
            SettingsValidation.Outcome outcome = lockingOut(SettingsValidation.validate(book.configured(),
                    context.runtime().store().all(), request), host);
            if (outcome instanceof SettingsValidation.Outcome.Valid valid && !valid.changes().isEmpty()) {
                context.runtime().store().apply(valid.changes(), user.username());
                for (SettingsValidation.Change change : valid.changes()) {
                    context.accounts().audit().record(user.username(), "setting.changed", change.key().wireName(),
                            auditDetail(change, book.configured().get(change.key())));
                }
                book.loadNow();
                context.runtime().changed().run();
            }
            return outcome;
        }), outcome -> {
            if (outcome instanceof SettingsValidation.Outcome.Invalid invalid) {
                return complete(Json.response(StatusCodes.BAD_REQUEST, fieldErrors(invalid.errors())));
            }
            return complete(Json.ok(describe(context.runtime().book())));
        });
    }

    /** A public URL under which the address this admin is using would be refused: every later change too. */
    private SettingsValidation.Outcome lockingOut(SettingsValidation.Outcome outcome, Optional<String> host) {
        if (outcome instanceof SettingsValidation.Outcome.Valid valid && host.isPresent()) {
            for (SettingsValidation.Change change : valid.changes()) {
                if (change.key() == SettingKey.PUBLIC_URL
                        && !context.address().allowsWith(host.get(), change.after())) {
                    return new SettingsValidation.Outcome.Invalid(Map.of(SettingKey.PUBLIC_URL.wireName(),
                            "this browser reaches the node as " + host.get() + ", which "
                                    + (change.after().isEmpty() ? "no public URL" : change.after())
                                    + " would no longer allow: this and every later change from here would be"
                                    + " refused. Save it from an address the new URL names"));
                }
            }
        }
        return outcome;
    }

    static FieldErrorsBody fieldErrors(Map<String, String> errors) {
        StringBuilder line = new StringBuilder();
        errors.forEach((field, message) -> line.append(line.isEmpty() ? "" : "; ").append(field).append(": ")
                .append(message));
        return new FieldErrorsBody(line.toString(), Problem.Code.INVALID, Map.copyOf(errors));
    }

    /** "3 → 5 (config file: 3)"; a reset says so. */
    static String auditDetail(SettingsValidation.Change change, String configured) {
        String shown = change.key() == SettingKey.PUBLIC_URL ? quoted(change.before()) + " → " + quoted(change.after())
                : change.before() + " → " + change.after();
        return shown + (change.storedAfter() == null ? " (override removed: the config file's value)"
                : " (config file: " + (change.key() == SettingKey.PUBLIC_URL ? quoted(configured) : configured) + ")");
    }

    private static String quoted(String text) {
        return text.isEmpty() ? "(derived)" : "\"" + text + "\"";
    }

    /** The request's fields in its order, each as a value of the kind the JSON had, or a reset for null. */
    static Map<String, Requested> requested(ObjectNode body) {
        Map<String, Requested> request = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = body.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            Requested requested;
            if (value.isNull()) {
                requested = new Requested.Reset();
            } else if (value.isTextual()) {
                requested = new Requested.Text(value.asText());
            } else if (value.isIntegralNumber() && value.canConvertToLong()) {
                requested = new Requested.Number(value.asLong());
            } else {
                requested = new Requested.Unusable(value.getNodeType().name().toLowerCase(Locale.ROOT));
            }
            request.put(field.getKey(), requested);
        }
        return request;
    }

    private Route purge(UserStore.User user, PurgeRequest body) {
        Instant now = context.clock().instant();
        Instant cutoff = cutoff(body.olderThan(), now);
        // Only an explicit "dryRun": false deletes: a request that forgot the field previews, it does not destroy.
        boolean dryRun = !Boolean.FALSE.equals(body.dryRun());
        return onSuccess(blocking(() -> {
            DataPurge purge = context.runtime().purge();
            if (dryRun) {
                return purge.preview(cutoff);
            }
            DataPurge.Counts deleted = purge.purge(cutoff);
            context.accounts().audit().record(user.username(), "data.purged", "metrics",
                    "older than " + cutoff + " (" + body.olderThan() + "): " + deleted.rawRows() + " raw, "
                            + deleted.minuteRows() + " 1-minute, " + deleted.hourRows() + " 1-hour rows");
            return deleted;
        }), counts -> complete(Json.ok(new PurgeBody(cutoff, dryRun, List.of(
                new PurgeTier("raw", "metric_raw", counts.rawRows()),
                new PurgeTier("one-minute", "metric_1m", counts.minuteRows()),
                new PurgeTier("one-hour", "metric_1h", counts.hourRows())), counts.total()))));
    }

    /**
     * {@code olderThan} as a cutoff: an age ({@code 30d}: everything older than 30 days) or an instant
     * ({@code 2026-01-01T00:00:00Z}), at least {@link #MINIMUM_PURGE_AGE} before now.
     */
    static Instant cutoff(String olderThan, Instant now) {
        Optional<Duration> age = SettingText.parseDuration(olderThan);
        Instant cutoff;
        if (age.isPresent()) {
            try {
                cutoff = now.minus(age.get());
            } catch (ArithmeticException | java.time.DateTimeException e) {
                throw Problem.invalid("olderThan: '" + olderThan + "' reaches before the earliest time there is");
            }
        } else {
            try {
                cutoff = Instant.parse(olderThan.strip());
            } catch (DateTimeParseException e) {
                throw Problem.invalid("olderThan: '" + olderThan + "' is neither an age (30d, 12h) nor an instant"
                        + " (2026-01-01T00:00:00Z)");
            }
        }
        if (cutoff.isAfter(now.minus(MINIMUM_PURGE_AGE))) {
            throw Problem.invalid("olderThan: must be at least " + SettingText.duration(MINIMUM_PURGE_AGE)
                    + " ago (the newest data is what the dashboard shows; retention deletes the rest)");
        }
        return cutoff;
    }

    private Route body(Function<String, Route> inner) {
        return withSizeLimit(context.settings().maxRequestBody(), () ->
                entity(Unmarshaller.entityToString(), inner::apply));
    }
}
