package io.steward.node.server;

import io.steward.core.fleet.ServerDetails;
import io.steward.node.problem.Problem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/** A person edits what the server is called and how it is filed: each changed detail is a fact of its own. */
final class DetailsHandler {
    private final EntityContext entity;
    private final LiveView live;

    DetailsHandler(EntityContext entity, LiveView live) {
        this.entity = entity;
        this.live = live;
    }

    ReplyEffect<ServerEvent, ServerState> onCommand(ServerState.Active state, DetailsCommand command) {
        DetailsCommand.UpdateDetails update = (DetailsCommand.UpdateDetails) command;
        DetailsCommand.Patch patch = update.patch();
        Optional<String> problem = validate(patch);
        if (problem.isPresent()) {
            return entity.effects.reply(update.replyTo(), StatusReply.error(Problem.invalid(problem.get())));
        }
        List<ServerEvent> events = changes(state.details(), patch, update.by(), entity.clock.instant());
        return entity.effects.persist(events)
                .thenRun(newState -> {
                    if (!events.isEmpty()) {
                        live.publishChanged(newState);
                    }
                })
                .thenReply(update.replyTo(), newState ->
                        StatusReply.success(live.summary((ServerState.Active) newState)));
    }

    /** The facts that take {@code current} to what {@code patch} asks for: nothing for a value already set. */
    static List<ServerEvent> changes(OperatorDetails current, DetailsCommand.Patch patch, String by, Instant now) {
        List<ServerEvent> events = new ArrayList<>(4);
        if (patch.fields().contains(DetailsCommand.Field.DISPLAY_NAME)) {
            String value = ServerDetails.normalizeText(patch.displayName());
            if (!Objects.equals(value, current.displayName())) {
                events.add(new DetailsEvent.Renamed(value, by, now));
            }
        }
        if (patch.fields().contains(DetailsCommand.Field.GROUP)) {
            String value = ServerDetails.normalizeText(patch.group());
            if (!Objects.equals(value, current.group())) {
                events.add(new DetailsEvent.Regrouped(value, by, now));
            }
        }
        if (patch.fields().contains(DetailsCommand.Field.TAGS)) {
            List<String> value = ServerDetails.normalizeTags(patch.tags());
            if (!value.equals(current.tags())) {
                events.add(new DetailsEvent.Retagged(value, by, now));
            }
        }
        if (patch.fields().contains(DetailsCommand.Field.NOTES)) {
            String value = ServerDetails.normalizeText(patch.notes());
            if (!Objects.equals(value, current.notes())) {
                events.add(new DetailsEvent.NotesChanged(value, by, now));
            }
        }
        return events;
    }

    private static Optional<String> validate(DetailsCommand.Patch patch) {
        return ServerDetails.checkDisplayName(patch.displayName())
                .or(() -> ServerDetails.checkGroup(patch.group()))
                .or(() -> ServerDetails.checkTags(patch.tags()))
                .or(() -> ServerDetails.checkNotes(patch.notes()));
    }
}
