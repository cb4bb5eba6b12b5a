package dev.aeon.controlplane;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import static dev.aeon.controlplane.CloudApi.as;
import static dev.aeon.controlplane.CloudApi.bootstrapToken;
import static dev.aeon.controlplane.CloudApi.createNamespace;
import static dev.aeon.controlplane.CloudApi.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

/**
 * The web console on the control plane's origin: its page and modules without a key (the page signs in), where the
 * other APIs are, a policy that keeps the page to Aeon's APIs, and namespaces' web_address pointing into it. What
 * the console does in a browser is e2e's ConsoleBrowserIT.
 */
@QuarkusTest
class ConsoleServedTest {

    @Test
    void theConsoleIsServedAtSlashConsole() {
        RestAssured.given().redirects().follow(false).get("/console").then().statusCode(301)
                .header("Location", endsWith("/console/"));
        RestAssured.get("/console/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<title>Aeon console</title>"))
                .header("Content-Security-Policy", containsString("connect-src 'self' http://localhost:7241 http://localhost:7242"))
                .header("X-Content-Type-Options", equalTo("nosniff"));
        RestAssured.get("/console/js/app.js").then().statusCode(200).contentType(containsString("javascript"));
        RestAssured.get("/console/config.json").then().statusCode(200)
                .body("httpApiUrl", equalTo("http://localhost:7241"))
                .body("codecUrl", equalTo("http://localhost:7242"));
    }

    @Test
    void aNamespacesWebAddressOpensItInTheConsole() {
        String token = bootstrapToken();
        String id = createNamespace(token, "web-" + unique());
        as(token).get("/cloud/namespaces/" + id).then().statusCode(200)
                .body("namespace.endpoints.webAddress", equalTo("http://localhost:7240/console/#/namespaces/" + id));
    }
}
