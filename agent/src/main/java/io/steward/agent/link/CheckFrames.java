package io.steward.agent.link;

import io.steward.core.checks.AssignedCheck;
import java.util.List;

/**
 * Where the link hands the node's check frames, and where it takes the results to send. Results are pulled: the
 * link asks for the next frame only when it can write one, so nothing queues up outside its owner's bounded buffer.
 * Every method is called on the link's executor and must not block.
 */
public interface CheckFrames {
    /** The full list of checks to run from now on ({@code checks-assign}), replacing the previous one. */
    void assign(List<AssignedCheck> checks);

    /** Runs these checks now ({@code checks-run}); ids not assigned are ignored. */
    void runNow(List<String> ids);

    /** The next {@code check-results} frame, encoded, or null when none is due. */
    String nextFrame();
}
