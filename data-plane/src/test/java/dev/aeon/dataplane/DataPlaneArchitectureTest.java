package dev.aeon.dataplane;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The data plane's layers point one way (docs/ARCHITECTURE.md, "The engine's packages"): edges → lifecycles →
 * engine → state and rules, with storage, matching, namespaces and errors below. Lifecycles are ordered too: a
 * lifecycle may use the ones below it (everything schedules workflow tasks; closing a run drops its activities
 * and timers; completing a workflow task applies commands of every kind), never one above it.
 */
class DataPlaneArchitectureTest {

    private static final String ROOT = "dev.aeon.dataplane.";
    private static final String HISTORY = ROOT + "history.";

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.aeon.dataplane");
    }

    @Test
    void layersOnlyPointDown() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Edges").definedBy(ROOT + "frontend..", ROOT + "internal..", ROOT + "auth..")
                // Schedules sit beside the lifecycles, below the edges: a schedule is a run of the engine, its
                // actions start workflows through the run lifecycle, its lists are the listing's.
                .layer("Schedules").definedBy(resideInAPackage(ROOT + "schedule..")
                        .and(not(resideInAPackage(ROOT + "schedule.spec.."))))
                // Nexus's handler side and endpoint registry: below the edges, beside the lifecycles (the caller side's
                // commands will use the registry), on matching for its tasks
                .layer("Nexus").definedBy(ROOT + "nexus..")
                .layer("NexusOperation").definedBy(HISTORY + "nexusoperation..")
                .layer("Listing").definedBy(HISTORY + "visibility..")
                .layer("Command").definedBy(HISTORY + "command..")
                .layer("Reset").definedBy(HISTORY + "reset..")
                .layer("Update").definedBy(HISTORY + "update..")
                .layer("Query").definedBy(HISTORY + "query..")
                .layer("CrossWorkflow").definedBy(HISTORY + "crossworkflow..")
                .layer("Run").definedBy(HISTORY + "run..")
                .layer("Timer").definedBy(HISTORY + "timer..")
                .layer("Activity").definedBy(HISTORY + "activity..")
                .layer("WorkflowTask").definedBy(HISTORY + "workflowtask..")
                .layer("Engine").definedBy(HISTORY + "engine..")
                .layer("State").definedBy(HISTORY + "state..")
                .layer("Rules").definedBy(HISTORY + "rules..")
                // membership and the node-to-node plumbing: the engine follows leadership, the edges forward
                .layer("Cluster").definedBy(ROOT + "cluster..")
                .layer("Matching").definedBy(ROOT + "matching..")
                .layer("Namespaces").definedBy(ROOT + "namespace..")
                .layer("Store").definedBy(ROOT + "persistence")
                .layer("Visibility").definedBy(ROOT + "visibility..")
                .layer("Errors").definedBy(ROOT + "errors..")
                // the pure calendar and interval arithmetic schedules stand on
                .layer("ScheduleSpec").definedBy(ROOT + "schedule.spec..")

                .whereLayer("Edges").mayNotBeAccessedByAnyLayer()
                .whereLayer("Schedules").mayOnlyBeAccessedByLayers("Edges")
                .whereLayer("Nexus").mayOnlyBeAccessedByLayers("Edges", "NexusOperation")
                .whereLayer("NexusOperation").mayOnlyBeAccessedByLayers("Edges", "Command")
                .whereLayer("Listing").mayOnlyBeAccessedByLayers("Edges", "Schedules")
                .whereLayer("Command").mayOnlyBeAccessedByLayers("Edges")
                .whereLayer("Reset").mayOnlyBeAccessedByLayers("Edges")
                .whereLayer("Update").mayOnlyBeAccessedByLayers("Edges", "Command")
                .whereLayer("Query").mayOnlyBeAccessedByLayers("Edges")
                .whereLayer("CrossWorkflow").mayOnlyBeAccessedByLayers("Edges", "Command")
                .whereLayer("Run").mayOnlyBeAccessedByLayers("Edges", "Schedules", "Command", "Reset", "Update",
                        "CrossWorkflow", "NexusOperation")
                .whereLayer("Timer").mayOnlyBeAccessedByLayers("Edges", "Command", "Reset", "Run")
                .whereLayer("Activity").mayOnlyBeAccessedByLayers("Edges", "Command", "Reset", "Run")
                .whereLayer("WorkflowTask").mayOnlyBeAccessedByLayers("Edges", "Command", "Reset", "Update",
                        "CrossWorkflow", "NexusOperation", "Run", "Timer", "Activity")
                .whereLayer("Engine").mayOnlyBeAccessedByLayers("Edges", "Schedules", "Listing", "Command", "Reset", "Update", "Query",
                        "CrossWorkflow", "NexusOperation", "Run", "Timer", "Activity", "WorkflowTask")
                .whereLayer("State").mayNotAccessAnyLayer()
                .whereLayer("Rules").mayOnlyAccessLayers("Errors")
                .whereLayer("Nexus").mayOnlyAccessLayers("Matching", "Namespaces", "Errors", "Cluster")
                // the engine and the edges run the cluster; lifecycles that serve work for other nodes read and
                // write its messages (PeerMessage), and in-memory work is tagged with the node's id
                .whereLayer("Cluster").mayOnlyBeAccessedByLayers("Edges", "Engine", "Schedules", "NexusOperation",
                        "CrossWorkflow", "Run", "Query", "Nexus")
                .whereLayer("Cluster").mayNotAccessAnyLayer()
                .whereLayer("Matching").mayNotAccessAnyLayer()
                .whereLayer("Store").mayNotAccessAnyLayer()
                .whereLayer("Visibility").mayOnlyAccessLayers("Errors")
                .whereLayer("Errors").mayNotAccessAnyLayer()
                .whereLayer("ScheduleSpec").mayOnlyAccessLayers("Errors")
                .check(classes);
    }

    /** The schedule-spec arithmetic is pure: of Aeon it may use its errors only (the layers above see only layers). */
    @Test
    void scheduleSpecUsesNothingOfAeonButErrors() {
        noClasses().that().resideInAPackage(ROOT + "schedule.spec..")
                .should().dependOnClassesThat(resideInAPackage("dev.aeon..")
                        .and(not(resideInAnyPackage(ROOT + "schedule.spec..", ROOT + "errors.."))))
                .check(classes);
    }

    @Test
    void noCyclesBetweenPackages() {
        slices().matching(ROOT + "(*)..").should().beFreeOfCycles().check(classes);
        slices().matching(HISTORY + "(*)..").should().beFreeOfCycles().check(classes);
    }
}
