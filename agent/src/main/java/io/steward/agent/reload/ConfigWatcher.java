package io.steward.agent.reload;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Notices a change to the config or services file and asks for a reload, and runs the reloads a signal asks for:
 * all on one thread, one at a time. Every period it looks at each file's modification time, size and inode (a stat
 * each: cheaper than a watch on their directories, and it follows a file replaced by a rename or behind a symbolic
 * link); a change is acted on once it has stayed the same for a whole period, so a file still being written is not
 * read half-way.
 */
public final class ConfigWatcher implements AutoCloseable {
    /** Often enough that an edit takes effect within seconds; a few stats each time. */
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(2);

    private final Supplier<List<Path>> files;
    private final Consumer<String> reload;
    private final ScheduledExecutorService thread;
    private final Debounce<Map<Path, String>> debounce;

    private ConfigWatcher(Supplier<List<Path>> files, Consumer<String> reload) {
        this.files = files;
        this.reload = reload;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread named = new Thread(runnable, "steward-agent-config");
            named.setDaemon(true);
            return named;
        });
        this.debounce = new Debounce<>(fingerprints());
    }

    /**
     * Starts watching.
     *
     * @param files the files to watch, asked anew every period (a reload may name another services file)
     * @param reload reloads; given what triggered it ({@code file change}, or what {@link #requestReload} names)
     */
    public static ConfigWatcher start(Supplier<List<Path>> files, Consumer<String> reload, Duration period) {
        requireNonNull(files, "files is null");
        requireNonNull(reload, "reload is null");
        ConfigWatcher watcher = new ConfigWatcher(files, reload);
        watcher.thread.scheduleWithFixedDelay(watcher::poll, period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
        return watcher;
    }

    /** Reloads as soon as the reload in progress, if any, is done; safe to call from a signal handler. */
    public void requestReload(String trigger) {
        thread.execute(() -> reloadNow(trigger));
    }

    private void poll() {
        if (debounce.settledChange(fingerprints())) {
            reloadNow("file change");
        }
    }

    private void reloadNow(String trigger) {
        try {
            reload.accept(trigger);
        } finally {
            // What was just read is the baseline, the services file a reload may have named included.
            debounce.reset(fingerprints());
        }
    }

    private Map<Path, String> fingerprints() {
        Map<Path, String> fingerprints = new LinkedHashMap<>();
        for (Path file : files.get()) {
            fingerprints.put(file, fingerprint(file));
        }
        return fingerprints;
    }

    /** What changes when a file is written or replaced: modification time, size and inode; or "missing". */
    static String fingerprint(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.lastModifiedTime() + "/" + attributes.size() + "/" + attributes.fileKey();
        } catch (IOException e) {
            return "missing";
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
