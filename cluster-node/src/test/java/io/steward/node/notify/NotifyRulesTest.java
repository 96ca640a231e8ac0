package io.steward.node.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.steward.core.alerting.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The notification rules that need no database: message text, routing, validation, retry schedule. */
class NotifyRulesTest {
    private static final Instant SINCE = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void aFiringMessageSaysWhatWhereHowBadSinceWhenTheValueAndTheThreshold() {
        Notification firing = new Notification(Notification.Kind.FIRING, Severity.CRITICAL, "srv-1", "web-1",
                "Disk full", "disk.percent > 90", "disk.percent{mount=/}", 93.456, SINCE, SINCE.plusSeconds(125),
                null, "http://steward:8080/servers/srv-1");
        assertThat(firing.subject()).isEqualTo("[CRITICAL] Disk full on web-1");
        assertThat(firing.text()).contains("Alert firing: Disk full (critical)", "Server:    web-1 (srv-1)",
                "Condition: disk.percent > 90", "Series:    disk.percent{mount=/}", "Value:     93.46",
                "Since:     2026-11-29 10:00:00 UTC (for 2 min)", "Open:      http://steward:8080/servers/srv-1");

        Notification resolved = new Notification(Notification.Kind.RESOLVED, Severity.CRITICAL, "srv-1", "web-1",
                "Disk full", "disk.percent > 90", "disk.percent{mount=/}", 70.0, SINCE, SINCE.plusSeconds(7260),
                "recovered", null);
        assertThat(resolved.subject()).isEqualTo("[RESOLVED] Disk full on web-1");
        assertThat(resolved.text()).contains("Value now: 70", "lasted 2 h 1 min", "Why:       recovered")
                .doesNotContain("Open:");
    }

    @Test
    void routingBySeverityGroupAndTag() {
        Channel all = channel(EnumSet.allOf(Severity.class), List.of(), List.of(), true);
        Channel criticalProd = channel(EnumSet.of(Severity.CRITICAL), List.of("prod"), List.of("db"), true);
        assertThat(all.accepts(Severity.WARNING, null, List.of())).isTrue();
        assertThat(criticalProd.accepts(Severity.WARNING, "prod", List.of())).isFalse();
        assertThat(criticalProd.accepts(Severity.CRITICAL, "prod", List.of())).isTrue();
        assertThat(criticalProd.accepts(Severity.CRITICAL, "staging", List.of("db"))).isTrue();
        assertThat(criticalProd.accepts(Severity.CRITICAL, "staging", List.of("web"))).isFalse();
        assertThat(channel(EnumSet.allOf(Severity.class), List.of(), List.of(), false)
                .accepts(Severity.CRITICAL, null, List.of())).as("disabled").isFalse();
    }

    @Test
    void channelSettingsAreValidatedWithTheFieldNamed() {
        assertThatThrownBy(() -> ChannelKind.EMAIL.validate(Map.of("host", "smtp", "port", 70000,
                "from", "a@b.c", "to", List.of("x@y.z")), Map.of())).hasMessageContaining("settings.port");
        assertThatThrownBy(() -> ChannelKind.EMAIL.validate(Map.of("host", "smtp", "port", 25,
                "from", "a@b.c", "to", List.of("not an address")), Map.of())).hasMessageContaining("settings.to");
        assertThatThrownBy(() -> ChannelKind.EMAIL.validate(Map.of("host", "smtp", "port", 25, "security", "ssl",
                "from", "a@b.c", "to", List.of("x@y.z")), Map.of())).hasMessageContaining("settings.security");
        assertThatThrownBy(() -> ChannelKind.TELEGRAM.validate(Map.of("chatId", "1"), Map.of()))
                .hasMessageContaining("secrets.botToken");
        assertThatThrownBy(() -> ChannelKind.SLACK.validate(Map.of(), Map.of("webhookUrl", "file:///etc/passwd")))
                .hasMessageContaining("http");
        assertThatThrownBy(() -> ChannelKind.WEBHOOK.validate(Map.of("url", "https://x.org", "colour", "red"),
                Map.of())).hasMessageContaining("settings.colour");
        assertThatThrownBy(() -> ChannelKind.WEBHOOK.validate(Map.of("url", Map.of("nested", 1)), Map.of()))
                .hasMessageContaining("settings.url");
        ChannelKind.EMAIL.validate(Map.of("host", "smtp", "port", 587, "security", "starttls", "username", "u",
                "from", "a@b.c", "to", List.of("x@y.z")), Map.of("password", "p"));
    }

    @Test
    void retriesBackOffExponentiallyOverAboutAnHour() {
        NotifySettings settings = NotifySettings.fromConfig(ConfigFactory.load().resolve(), "http://x/");
        assertThat(settings.maxAttempts()).isEqualTo(8);
        Duration total = Duration.ZERO;
        for (int attempt = 1; attempt < settings.maxAttempts(); attempt++) {
            total = total.plus(settings.backoff(attempt));
        }
        assertThat(settings.backoff(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.backoff(7)).isEqualTo(Duration.ofMinutes(32));
        assertThat(total).isBetween(Duration.ofMinutes(55), Duration.ofMinutes(70));
        assertThat(settings.serverLink("srv 1")).isEqualTo("http://x/servers/srv+1");
    }

    @Test
    void webhookSignaturesAreHmacSha256OfTheExactBody() {
        // RFC 4231 test case 2.
        assertThat(ChannelSenders.hmacSha256Hex("Jefe", "what do ya want for nothing?".getBytes()))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assertThat(Outbox.clean("bad\u0000byte\nline")).isEqualTo("bad byte line");
    }

    private static Channel channel(EnumSet<Severity> severities, List<String> groups, List<String> tags,
            boolean enabled) {
        return new Channel("c1", "c", ChannelKind.WEBHOOK, enabled, severities, groups, tags, null,
                Map.of("url", "http://x"), Map.of(), SINCE, SINCE, null);
    }
}
