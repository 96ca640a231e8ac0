package io.steward.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.core.alerting.Scope;
import io.steward.node.problem.Problem;
import org.junit.jupiter.api.Test;

/** A rule request becomes a rule, or an invalid-request problem that names the field. */
class AlertRuleRequestTest {

    private static AlertRuleRoutes.RuleRequest scoped(String kind, String value) {
        return new AlertRuleRoutes.RuleRequest("disk", "cpu.percent", "above", 90.0, null, null, "warning",
                new AlertRuleRoutes.ScopeRequest(kind, value), null);
    }

    @Test
    void aServerScopeMustBeAServerId() {
        assertThat(scoped("server", "web-1").toRule("r1").scope()).isEqualTo(new Scope.Server("web-1"));
        assertThatThrownBy(() -> scoped("server", "Web 1!").toRule("r1"))
                .isInstanceOfSatisfying(Problem.class, problem -> {
                    assertThat(problem.code()).isEqualTo(Problem.Code.INVALID);
                    assertThat(problem.getMessage()).startsWith("scope.value: not a server id: 'Web 1!'");
                });
        // Groups and tags are free text.
        assertThat(scoped("group", "Web 1!").toRule("r1").scope()).isEqualTo(new Scope.Group("Web 1!"));
    }
}
