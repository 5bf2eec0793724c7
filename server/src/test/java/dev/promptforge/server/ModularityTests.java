package dev.promptforge.server;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** The server's packages are modules; an arrow that should not exist fails the build. */
class ModularityTests {

    @Test
    void verifies_module_boundaries() {
        ApplicationModules.of(PromptForgeApplication.class).verify();
    }
}
