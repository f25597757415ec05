package dev.qrauth.tokenserver;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The feature packages of the token server ({@code admin}, {@code transaction}, {@code device},
 * ...) depend on one another without a cycle, so each can be read, changed and tested from the
 * packages below it up. Read from the compiled classes, so every kind of reference counts. The
 * root package, which configures and starts the server and which the features read their
 * settings from, is left out.
 */
class PackageCyclesTest {

    private static final String SERVER = "dev.qrauth.tokenserver";

    @Test
    void theServersPackagesDependOnEachOtherWithoutACycle() {
        JavaClasses server = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(SERVER);

        noCycleBelow(SERVER).check(server);
    }

    @Test
    void aCycleIsFound() {
        String fixture = SERVER + ".packagecycle";
        JavaClasses cycle = new ClassFileImporter().importPackages(fixture);

        assertThatThrownBy(() -> noCycleBelow(fixture).check(cycle))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Cycle detected");
    }

    /** No cycle between the packages directly below {@code root}, each taken with its subpackages. */
    private static ArchRule noCycleBelow(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }
}
