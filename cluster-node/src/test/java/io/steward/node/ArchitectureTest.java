package io.steward.node;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of the README's "Architecture" section, checked on the compiled main classes of all three
 * modules: core depends on nothing of ours and on no Pekko, the agent never on the node, the node's rooms import each
 * other one way only, and nothing but the wiring at the root knows the HTTP edge or the wiring itself.
 */
class ArchitectureTest {
    private static JavaClasses steward;

    @BeforeAll
    static void importClasses() {
        steward = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.steward");
    }

    @Test
    void coreImportsNothingOfOursAndNoPekko() {
        noClasses().that().resideInAPackage("io.steward.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.steward.agent..", "io.steward.node..", "org.apache.pekko..", "scala..")
                .check(steward);
    }

    @Test
    void theAgentNeverLinksNodeCodeOrPekko() {
        noClasses().that().resideInAPackage("io.steward.agent..")
                .should().dependOnClassesThat().resideInAnyPackage("io.steward.node..", "org.apache.pekko..")
                .check(steward);
    }

    @Test
    void theNodesRoomsHaveNoPackageCycles() {
        slices().matching("io.steward.node.(*)..").should().beFreeOfCycles().check(steward);
    }

    @Test
    void onlyTheWiringAtTheRootKnowsTheWiringAndTheHttpEdge() {
        noClasses().that().resideInAPackage("io.steward.node.(*)..")
                .should().dependOnClassesThat().resideInAPackage("io.steward.node")
                .check(steward);
        noClasses().that().resideOutsideOfPackages("io.steward.node", "io.steward.node.http..")
                .should().dependOnClassesThat().resideInAPackage("io.steward.node.http..")
                .check(steward);
    }

    @Test
    void theSharedDatabaseAndTheWireTypesDependOnNoRoom() {
        for (String leaf : List.of("database", "serialization", "socket", "problem")) {
            String own = "io.steward.node." + leaf + "..";
            noClasses().that().resideInAPackage(own)
                    .should().dependOnClassesThat(resideInAPackage("io.steward.node..")
                            .and(resideOutsideOfPackage(own)))
                    .check(steward);
        }
    }

    @Test
    void theMetricStoreKnowsOnlyTheDatabaseOfTheNode() {
        classes().that().resideInAPackage("io.steward.node.metrics..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.steward.node.metrics..",
                        "io.steward.node.database..", "io.steward.core..", "java..", "javax.sql..",
                        "org.apache.pekko..", "scala..", "com.typesafe.config..", "org.slf4j..",
                        "org.jspecify.annotations..")
                .check(steward);
    }

    @Test
    void theEntityAndTheIngestReachTheStoreOnlyThroughItsSeams() {
        // MetricStoreSeams (at the root) is what they are given; the store's own types stay behind it.
        noClasses().that().resideInAnyPackage("io.steward.node.server..", "io.steward.node.ingest..")
                .should().dependOnClassesThat().resideInAPackage("io.steward.node.metrics..")
                .check(steward);
    }
}
