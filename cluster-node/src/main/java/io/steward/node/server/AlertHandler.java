package io.steward.node.server;

import io.steward.core.alerting.ServerFacts;
import io.steward.node.alerting.ActiveAlert;
import io.steward.node.alerting.AlertSubject;
import io.steward.node.alerting.RuleSource;
import io.steward.node.problem.Problem;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The server's alerts: evaluates the rules in force over the samples other concerns feed it ({@link AlertDecisions}),
 * and handles people acknowledging alerts and silencing the server.
 */
final class AlertHandler {
    private final EntityContext entity;
    private final RuleSource rules;
    private final LiveView live;

    AlertHandler(EntityContext entity, RuleSource rules, LiveView live) {
        this.entity = entity;
        this.rules = rules;
        this.live = live;
    }

    ReplyEffect<ServerEvent, ServerState> onCommand(ServerState.Active state, AlertCommand command) {
        if (command instanceof AlertCommand.Acknowledge acknowledge) {
            return acknowledge(state, acknowledge);
        }
        AlertCommand.RecordSilence silence = (AlertCommand.RecordSilence) command;
        Instant now = entity.clock.instant();
        AlertEvent event = silence.until() == null
                ? new AlertEvent.SilenceEnded(silence.silenceId(), silence.by(), now)
                : new AlertEvent.Silenced(silence.silenceId(), silence.until(), silence.by(), silence.comment(), now);
        return entity.effects.persist(event).thenReply(silence.replyTo(), newState -> StatusReply.ack());
    }

    private ReplyEffect<ServerEvent, ServerState> acknowledge(ServerState.Active state,
            AlertCommand.Acknowledge command) {
        if (state.alerts().get(command.key()) == null) {
            return entity.effects.reply(command.replyTo(),
                    StatusReply.error(Problem.notFound("no active alert " + command.key())));
        }
        String comment = command.comment() == null || command.comment().isBlank() ? null : command.comment().strip();
        ActiveAlert.Acknowledgement ack =
                new ActiveAlert.Acknowledgement(command.by(), entity.clock.instant(), comment);
        return entity.effects.persist(new AlertEvent.Acknowledged(command.key(), ack))
                .thenRun(live::publishChanged)
                .thenReply(command.replyTo(), newState ->
                        StatusReply.success(((ServerState.Active) newState).alerts().get(command.key())));
    }

    /**
     * The alert transitions {@code samples} cause on this server now (see {@link AlertDecisions#evaluate}).
     *
     * @param owns the series this evaluation speaks for: a missing one of them resolves its alert
     */
    List<AlertEvent> evaluate(ServerState.Active state, Map<String, Double> samples, Instant measuredAt, Instant now,
            Predicate<String> owns) {
        OperatorDetails details = state.details();
        return AlertDecisions.evaluate(rules.rules(),
                new ServerFacts(entity.serverId.value(), details.group(), details.tags()), state.alerts(), samples,
                measuredAt, now, owns, new AlertSubject(state.name(), details.group(), details.tags()));
    }
}
