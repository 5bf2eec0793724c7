package dev.promptforge.server.ops;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** One plain line for the person who started the server: where to go next. */
@Component
class ReadyBanner {

    @EventListener
    @SuppressWarnings("SystemOut")
    void ready(ApplicationReadyEvent event) {
        if (event.getApplicationContext() instanceof WebServerApplicationContext web && web.getWebServer() != null) {
            int port = web.getWebServer().getPort();
            System.out.println("PromptForge is running at http://localhost:" + port + "  (API docs: http://localhost:"
                    + port + "/docs)");
        }
    }
}
