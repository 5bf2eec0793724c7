package dev.promptforge.server.ops;

import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The site root leads to the API documentation until the dashboard is served there. */
@RestController
class RootController {

    @GetMapping("/")
    ResponseEntity<Void> root() {
        return ResponseEntity.status(302).location(URI.create("/docs")).build();
    }
}
