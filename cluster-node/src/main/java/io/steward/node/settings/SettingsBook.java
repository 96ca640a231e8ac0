package io.steward.node.settings;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigOrigin;
import io.steward.node.broadcast.TopicFollower;
import io.steward.node.database.Blocking;
import io.steward.node.serialization.CborSerializable;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's runtime settings in force: the config file's values with the database's overrides on top. Every consumer
 * reads {@link #current()} when it decides, so a change applies without a restart. Reloaded from the
 * {@link SettingsStore} when any node announces a change (a {@link SettingsChanged} on the cluster's topic) and on a
 * timer as a safety net (a node partitioned away while a setting changed).
 */
public final class SettingsBook {
    private static final Logger log = LoggerFactory.getLogger(SettingsBook.class);

    /** Where a setting's value in force comes from. */
    public enum Source {
        /** The node's built-in default (the bundled application.conf), not overridden anywhere. */
        DEFAULT,
        /** The operator's config file, a command-line flag or an environment variable. */
        CONFIG,
        /** An admin's override in the database. */
        DATABASE;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Told to every node's book when any node changed a setting. */
    public record SettingsChanged() implements CborSerializable {}

    /** What the book holds at one moment. */
    private record Snapshot(Map<SettingKey, String> stored, RuntimeSettings settings) {}

    private final SettingsStore store;
    private final Blocking blocking;
    private final Map<SettingKey, String> configured;
    private final Map<SettingKey, Source> configuredSource;
    private volatile Snapshot current;
    private final Object loadLock = new Object();
    private final List<BiConsumer<RuntimeSettings, RuntimeSettings>> changeListeners = new CopyOnWriteArrayList<>();

    public SettingsBook(SettingsStore store, Blocking blocking, Config config) {
        this.store = requireNonNull(store, "store is null");
        this.blocking = requireNonNull(blocking, "blocking is null");
        Map<SettingKey, String> values = new EnumMap<>(SettingKey.class);
        Map<SettingKey, Source> sources = new EnumMap<>(SettingKey.class);
        for (SettingKey key : SettingKey.values()) {
            values.put(key, key.configured(config));
            sources.put(key, isBundled(config.getValue(key.configPath()).origin()) ? Source.DEFAULT : Source.CONFIG);
        }
        this.configured = Collections.unmodifiableMap(values);
        this.configuredSource = Collections.unmodifiableMap(sources);
        this.current = snapshot(Map.of());
    }

    /** The values in force now. */
    public RuntimeSettings current() {
        return current.settings();
    }

    /** Every key's config-file (or default) value, canonical text. */
    public Map<SettingKey, String> configured() {
        return configured;
    }

    /** The overrides read last from the database. */
    public Map<SettingKey, String> stored() {
        return current.stored();
    }

    /** Every key's value in force, as text. */
    public Map<SettingKey, String> effective() {
        return SettingsValidation.effective(configured, current.stored());
    }

    /** Where {@code key}'s value in force comes from. */
    public Source source(SettingKey key) {
        String override = current.stored().get(key);
        return override != null && override.equals(effective().get(key)) ? Source.DATABASE : configuredSource.get(key);
    }

    /**
     * Who hears, with the values before and after, that a load put other values in force — for what must act on a
     * change rather than read the value when it decides (agents connected to this node hear a new interval). Called on
     * the loading thread after the new values are in force; must not block. A change may be heard twice (the node that
     * stored it loads it, then hears the topic): listeners compare with what they acted on last.
     */
    public void onChange(BiConsumer<RuntimeSettings, RuntimeSettings> listener) {
        changeListeners.add(requireNonNull(listener, "listener is null"));
    }

    /** Reads the overrides now, on the calling thread (node start, and after this node stored a change). */
    public void loadNow() throws SQLException {
        // One load at a time: two overlapping loads (a PUT's own and the topic's) could otherwise finish in the
        // other order and leave the older read in force until the next reload.
        synchronized (loadLock) {
            install(snapshot(store.all()));
        }
    }

    private void install(Snapshot next) {
        Snapshot previous = current;
        if (!next.equals(previous)) {
            log.info("Runtime settings in force: {}", next.settings());
        }
        current = next;
        if (!next.settings().equals(previous.settings())) {
            for (BiConsumer<RuntimeSettings, RuntimeSettings> listener : changeListeners) {
                try {
                    listener.accept(previous.settings(), next.settings());
                } catch (RuntimeException e) {
                    log.warn("A listener failed on the change of the runtime settings to {}", next.settings(), e);
                }
            }
        }
    }

    /**
     * An actor that reloads this book whenever a {@link SettingsChanged} arrives on {@code topic}, and every
     * {@code safetyInterval} in case a message was lost.
     */
    public Behavior<SettingsChanged> follower(ActorRef<Topic.Command<SettingsChanged>> topic,
            Duration safetyInterval) {
        return TopicFollower.of(topic, new SettingsChanged(), safetyInterval, this::reload);
    }

    /** Re-reads the overrides off the caller's thread; on failure the previous values stay in force. */
    public CompletionStage<Void> reload() {
        return blocking.run(() -> {
            try {
                loadNow();
            } catch (SQLException | RuntimeException e) {
                log.warn("Could not reload the runtime settings; keeping {}", current.settings(), e);
            }
        });
    }

    private Snapshot snapshot(Map<SettingKey, String> stored) {
        Map<SettingKey, String> copy = new EnumMap<>(SettingKey.class);
        copy.putAll(stored);
        copy = Collections.unmodifiableMap(copy);
        return new Snapshot(copy, RuntimeSettings.of(SettingsValidation.effective(configured, copy)));
    }

    /** A value from the application.conf inside the node's jar, unless an environment variable filled it in. */
    private static boolean isBundled(ConfigOrigin origin) {
        String resource = origin.resource();
        return resource != null && (resource.equals("application.conf") || resource.equals("reference.conf"))
                && !origin.description().contains("env");
    }
}
