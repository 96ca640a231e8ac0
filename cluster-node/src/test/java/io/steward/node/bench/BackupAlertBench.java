package io.steward.node.bench;

import static io.steward.core.testing.Eventually.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.steward.core.testing.FreePort;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.BackupRig;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Backup alert latency (run by {@code deploy/bench/backup-alert-bench.sh} against a node started from the real jar
 * with short backup timings), with the real parts of {@link BackupRig}: a real agent in this JVM, real rsync over a
 * real sshd on loopback, and a real SMTP server (GreenMail, in this JVM) behind an email channel.
 *
 * <ul>
 *   <li><b>failed</b>: the destination breaks (odd rounds: the agent's key revoked on the sshd; even rounds: the sshd
 *       stopped), a run is started through the API and fails; measured from the run's end as the node recorded it
 *       ({@code finishedAt} of the run) to GreenMail accepting the "Backup failed" email. Then the destination is
 *       fixed, and the next round waits for a good run and for the alert to be gone.
 *   <li><b>missed</b>: a job due every minute; its {@code nextRunAt} is read from the API, the agent is stopped, and
 *       the figure is from that due time + grace to GreenMail accepting the "Backup missed" email. The agent is then
 *       started again; its catch-up run resolves the alert.
 * </ul>
 *
 * <p>All times are wall-clock instants of this one machine (the node's records and this JVM's stamps read the same
 * clock), in milliseconds. Emails are stamped when GreenMail has stored them (polled every millisecond); the alert's
 * appearance in {@code /api/alerts} is polled every 50 ms by a second client.
 *
 * <p>Arguments: node HTTP port, admin password, work directory, failure rounds, missed rounds, the node's
 * {@code steward.backups.minimum-grace} in seconds.
 */
public final class BackupAlertBench {
    private static final String FAILED_RULE = "default-backup-failed";
    private static final String MISSED_RULE = "default-backup-missed";
    private static final String FAILED_FIRING = "[CRITICAL] Backup failed on ";
    private static final String FAILED_RESOLVED = "[RESOLVED] Backup failed on ";
    private static final String MISSED_FIRING = "[CRITICAL] Backup missed on ";
    private static final String MISSED_RESOLVED = "[RESOLVED] Backup missed on ";
    /** {@code * * * * *}: one minute. */
    private static final Duration PERIOD = Duration.ofMinutes(1);
    /** The agent is stopped only when the next due time is at least this far away, so it is gone by then. */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(8);
    private static final Duration WAIT = Duration.ofMinutes(3);

    /** An email as GreenMail stored it; {@code why} is a resolved email's "Why:" line. */
    record Mail(String subject, Instant at, String why) {}

    record Seen(String ruleId, Instant since, Instant at) {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String password = args[1];
        Path work = Path.of(args[2]);
        int failRounds = Integer.parseInt(args[3]);
        int missedRounds = Integer.parseInt(args[4]);
        Duration minimumGrace = Duration.ofSeconds(Long.parseLong(args[5]));
        // The node's rule (BackupSchedule.graceAt): 10 % of the period, at least minimum-grace.
        Duration grace = PERIOD.dividedBy(10).compareTo(minimumGrace) < 0 ? minimumGrace : PERIOD.dividedBy(10);

        int smtpPort = FreePort.find();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        List<Mail> mails = new CopyOnWriteArrayList<>();
        daemon("smtp-watch", () -> watchMail(smtp, mails));

        ApiClient api = new ApiClient(port);
        check(api.login("admin", password), "login");
        check(api.post("/api/channels", """
                {"name":"Bench mail","type":"email","severities":["critical"],"settings":{"host":"127.0.0.1",
                 "port":%d,"security":"none","from":"steward@bench.local","to":["ops@bench.local"]}}"""
                .formatted(smtpPort)), "channel");
        ApiClient watcher = new ApiClient(port);
        check(watcher.login("admin", password), "login");
        List<Seen> seen = new CopyOnWriteArrayList<>();
        daemon("alerts-watch", () -> watchAlerts(watcher, seen));

        List<Double> failedEmail = new ArrayList<>();
        List<Double> failedApi = new ArrayList<>();
        List<Double> missedEmail = new ArrayList<>();
        List<Double> missedApi = new ArrayList<>();
        try (BackupRig rig = BackupRig.start(work)) {
            Files.writeString(rig.source.resolve("index.html"), "<h1>bench</h1>\n");
            String serverId = rig.startAgent(port, api);
            String publicKey = api.get("/api/servers/" + serverId + "/backup-key").json().get("publicKey").asText();

            String failing = rig.createTrusted(api, rig.job("failing", "{\"everyHours\":24}", "{\"keepLast\":2}"));
            expect(rig.runNow(api, failing), "succeeded");
            for (int round = 1; round <= failRounds; round++) {
                boolean revoke = round % 2 == 1;
                if (revoke) {
                    rig.sshd.revokeAll();
                } else {
                    rig.sshd.stop();
                }
                Instant requested = Instant.now();
                JsonNode run = expect(rig.runNow(api, failing), "failed");
                Instant end = Instant.parse(run.get("finishedAt").asText());
                Mail mail = awaitMail(mails, FAILED_FIRING, requested);
                Seen alert = awaitSeen(seen, FAILED_RULE, requested);
                failedEmail.add(millis(end, mail.at()));
                failedApi.add(millis(end, alert.at()));
                System.out.printf(Locale.ROOT, "{\"case\":\"failed\",\"round\":%d,\"cause\":\"%s\",\"failure\":\"%s\","
                                + "\"runEndedAt\":\"%s\",\"toAlertSinceMs\":%d,\"toApiSeenMs\":%d,\"toEmailMs\":%d,"
                                + "\"runNowRequestToEmailMs\":%d}%n",
                        round, revoke ? "key revoked" : "sshd stopped", run.path("failure").asText(), end,
                        round(end, alert.since()), round(end, alert.at()), round(end, mail.at()),
                        round(requested, mail.at()));

                if (revoke) {
                    rig.sshd.authorize(publicKey, rig.destination);
                } else {
                    rig.sshd.restart();
                }
                expect(rig.runNow(api, failing), "succeeded");
                awaitNotFiring(api, FAILED_RULE); // the next round's failure fires afresh
            }
            tally("failed", mails, FAILED_FIRING, FAILED_RESOLVED);
            check(api.delete(rig.base() + "/" + failing), "delete the failing job");

            String minutely = rig.createTrusted(api, rig.job("minutely",
                    "{\"cron\":\"* * * * *\",\"timeZone\":\"UTC\"}", "{\"keepLast\":2}"));
            for (int round = 1; round <= missedRounds; round++) {
                // Idle, and the next due time far enough away that the agent is surely gone by then.
                JsonNode job = await(WAIT, "an idle job with its next due time ahead", () -> {
                    JsonNode j = rig.job(api, minutely);
                    boolean idle = !j.get("status").asText().equals("running") && !j.get("nextRunAt").isNull()
                            && Instant.parse(j.get("nextRunAt").asText()).isAfter(Instant.now().plus(STOP_MARGIN));
                    return idle ? j : null;
                });
                Instant due = Instant.parse(job.get("nextRunAt").asText());
                Instant graceEnd = due.plus(grace);
                rig.stopAgent();
                Mail mail = awaitMail(mails, MISSED_FIRING, due);
                Seen alert = awaitSeen(seen, MISSED_RULE, due);
                JsonNode missed = await(WAIT, "the missed run", () -> rig.runs(api, minutely).stream()
                        .filter(r -> r.get("state").asText().equals("missed")
                                && Instant.parse(r.get("dueFor").asText()).equals(due))
                        .findFirst().orElse(null));
                missedEmail.add(millis(graceEnd, mail.at()));
                missedApi.add(millis(graceEnd, alert.at()));
                System.out.printf(Locale.ROOT, "{\"case\":\"missed\",\"round\":%d,\"dueAt\":\"%s\",\"graceSeconds\":%d,"
                                + "\"missedCount\":%d,\"reason\":\"%s\",\"toRecordedMs\":%d,\"toAlertSinceMs\":%d,"
                                + "\"toApiSeenMs\":%d,\"toEmailMs\":%d}%n",
                        round, due, grace.toSeconds(), missed.get("missedCount").asInt(),
                        missed.get("reason").asText(),
                        round(graceEnd, Instant.parse(missed.get("finishedAt").asText())),
                        round(graceEnd, alert.since()), round(graceEnd, alert.at()), round(graceEnd, mail.at()));

                rig.startAgent(port, api); // its catch-up run answers the missed due time
                // Let the catch-up run end: an agent stopped during it would fail it (and alert).
                await(WAIT, "the catch-up run to succeed", () -> {
                    JsonNode newest = rig.runs(api, minutely).get(0);
                    return newest.get("state").asText().equals("succeeded") ? newest : null;
                });
                awaitNotFiring(api, MISSED_RULE);
            }
            tally("missed", mails, MISSED_FIRING, MISSED_RESOLVED);
        }

        mails.forEach(mail -> System.err.println("email " + mail.at() + " " + mail.subject()
                + (mail.why() == null ? "" : " (" + mail.why() + ")")));
        summary("failed: run end -> email accepted", failedEmail);
        summary("failed: run end -> firing in /api/alerts", failedApi);
        summary("missed: due + grace -> email accepted", missedEmail);
        summary("missed: due + grace -> firing in /api/alerts", missedApi);
        smtp.stop();
        // Every round measured (a missing email times out above) and within the target; a case run 0 times passes.
        System.exit(max(failedEmail) > 60_000 || max(missedEmail) > 60_000 ? 1 : 0);
    }

    /** Stamps each email as GreenMail stores it (polled every millisecond; that is the resolution). */
    private static void watchMail(GreenMail smtp, List<Mail> mails) {
        int stamped = 0;
        while (!Thread.currentThread().isInterrupted()) {
            MimeMessage[] messages = smtp.getReceivedMessages();
            Instant now = Instant.now();
            for (int i = stamped; i < messages.length; i++) {
                String why = GreenMailUtil.getBody(messages[i]).lines().filter(line -> line.startsWith("Why:"))
                        .map(line -> line.substring(4).strip()).findFirst().orElse(null);
                try {
                    mails.add(new Mail(messages[i].getSubject(), now, why));
                } catch (MessagingException e) {
                    throw new IllegalStateException(e);
                }
            }
            stamped = messages.length;
            sleep(1);
        }
    }

    /** Notes when each firing alert first shows in the API (polled every 50 ms). */
    private static void watchAlerts(ApiClient api, List<Seen> seen) {
        while (!Thread.currentThread().isInterrupted()) {
            Instant now = Instant.now();
            try {
                for (JsonNode alert : api.get("/api/alerts").json()) {
                    if (!alert.get("phase").asText().equals("firing")) {
                        continue;
                    }
                    String rule = alert.get("ruleId").asText();
                    Instant since = Instant.parse(alert.get("since").asText());
                    if (seen.stream().noneMatch(s -> s.ruleId().equals(rule) && s.since().equals(since))) {
                        seen.add(new Seen(rule, since, now));
                    }
                }
            } catch (RuntimeException e) {
                System.err.println("alerts-watch: " + e); // a missed poll only coarsens the figure
            }
            sleep(50);
        }
    }

    /** The first email with {@code prefix} stored at or after {@code notBefore}. */
    private static Mail awaitMail(List<Mail> mails, String prefix, Instant notBefore) {
        return await(WAIT, "email " + prefix + "… after " + notBefore, () -> mails.stream()
                .filter(mail -> mail.subject().startsWith(prefix) && !mail.at().isBefore(notBefore))
                .findFirst().orElse(null));
    }

    private static void awaitNotFiring(ApiClient api, String rule) {
        await(WAIT, rule + " to stop firing", () -> {
            for (JsonNode alert : api.get("/api/alerts").json()) {
                if (alert.get("ruleId").asText().equals(rule)) {
                    return null;
                }
            }
            return true;
        });
    }

    /** How many firing and resolved emails a case sent in all, by the resolved emails' reasons. */
    private static void tally(String name, List<Mail> mails, String firing, String resolved) {
        Map<String, Integer> reasons = new TreeMap<>();
        mails.stream().filter(mail -> mail.subject().startsWith(resolved))
                .forEach(mail -> reasons.merge(String.valueOf(mail.why()), 1, Integer::sum));
        StringBuilder why = new StringBuilder();
        reasons.forEach((reason, count) -> why.append(why.isEmpty() ? "" : ",")
                .append('"').append(reason).append("\":").append(count));
        System.out.printf(Locale.ROOT, "{\"case\":\"%s\",\"firingEmails\":%d,\"resolvedEmails\":{%s}}%n", name,
                mails.stream().filter(mail -> mail.subject().startsWith(firing)).count(), why);
    }

    private static Seen awaitSeen(List<Seen> seen, String rule, Instant notBefore) {
        return await(WAIT, rule + " firing in /api/alerts", () -> seen.stream()
                .filter(s -> s.ruleId().equals(rule) && !s.since().isBefore(notBefore)).findFirst().orElse(null));
    }

    private static JsonNode expect(JsonNode run, String state) {
        if (!run.get("state").asText().equals(state)) {
            throw new IllegalStateException("expected a " + state + " run, got " + run);
        }
        return run;
    }

    private static void summary(String what, List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "{\"figure\":\"%s\",\"rounds\":%d,\"p50Ms\":%.0f,\"maxMs\":%.0f,"
                + "\"targetMs\":60000}%n", what, sorted.size(), percentile(sorted, 0.5), max(sorted));
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.isEmpty() ? Double.NaN
                : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    private static long round(Instant from, Instant to) {
        return Math.round(millis(from, to));
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void check(ApiClient.Response response, String what) {
        if (response.status() / 100 != 2) {
            throw new IllegalStateException(what + ": HTTP " + response.status() + " " + response.raw().body());
        }
    }
}
