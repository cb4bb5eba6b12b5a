package dev.aeon.controlplane;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The control plane's layers point one way (docs/ARCHITECTURE.md, "Control plane"): the edges (Cloud Ops API,
 * internal endpoints, bootstrap) call services, services call security and the store, and the store knows none of
 * them. {@code error/} and {@code proto/} sit under everything but the store, which raises its own errors.
 */
class ControlPlaneArchitectureTest {

    private static final String ROOT = "dev.aeon.controlplane.";

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.aeon.controlplane");
    }

    @Test
    void layersOnlyPointDown() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Api").definedBy(ROOT + "api..")
                .layer("Internal").definedBy(ROOT + "internal..")
                .layer("Bootstrap").definedBy(ROOT + "bootstrap..")
                .layer("Services").definedBy(ROOT + "account..", ROOT + "audit..", ROOT + "identity..",
                        ROOT + "namespace..", ROOT + "nexus..", ROOT + "operation..", ROOT + "schedule..")
                .layer("Security").definedBy(ROOT + "security..")
                .layer("Provisioning").definedBy(ROOT + "provisioning..")
                .layer("Store").definedBy(ROOT + "store..")
                .layer("Shared").definedBy(ROOT + "error..", ROOT + "proto..")

                .whereLayer("Api").mayNotBeAccessedByAnyLayer()
                .whereLayer("Internal").mayNotBeAccessedByAnyLayer()
                .whereLayer("Bootstrap").mayNotBeAccessedByAnyLayer()
                .whereLayer("Services").mayOnlyBeAccessedByLayers("Api", "Bootstrap")
                .whereLayer("Security").mayOnlyBeAccessedByLayers("Api", "Internal", "Bootstrap", "Services")
                .whereLayer("Provisioning").mayOnlyBeAccessedByLayers("Services")
                .whereLayer("Store").mayOnlyBeAccessedByLayers("Api", "Internal", "Bootstrap", "Services", "Security")
                .whereLayer("Shared").mayOnlyBeAccessedByLayers("Api", "Internal", "Bootstrap", "Services", "Security",
                        "Provisioning")
                .check(classes);
    }

    @Test
    void noCyclesBetweenPackages() {
        slices().matching(ROOT + "(*)..").should().beFreeOfCycles().check(classes);
    }
}
