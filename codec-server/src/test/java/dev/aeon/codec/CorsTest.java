package dev.aeon.codec;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.aeon.codec.CodecApi.body;
import static dev.aeon.codec.CodecApi.createKey;
import static dev.aeon.codec.CodecApi.freshNamespace;
import static dev.aeon.codec.CodecApi.json;
import static dev.aeon.codec.CodecServerTestResources.CONSOLE_ORIGIN;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class CorsTest {

    /** What Chrome sends before the Temporal UI's POST with its token and the namespace header. */
    private static io.restassured.response.ValidatableResponse preflight(String path, String origin) {
        return given()
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,authorization-extras,content-type,x-namespace")
                .header("Sec-Fetch-Mode", "cors")
                .options(path)
                .then();
    }

    private static io.restassured.response.ValidatableResponse decodeFrom(String origin, String ns) {
        return given().header("Origin", origin).header("X-Namespace", ns).contentType("application/json")
                .body(body(List.of(json("1")))).post("/decode").then();
    }

    @Test
    void aBrowserPreflightFromTheConsoleIsAnswered() {
        for (String path : List.of("/decode", "/encode", "/some-namespace/decode", "/codec/keys/some-namespace")) {
            preflight(path, CONSOLE_ORIGIN)
                    .statusCode(200)
                    .header("Access-Control-Allow-Origin", CONSOLE_ORIGIN)
                    .header("Access-Control-Allow-Methods", containsString("POST"))
                    .header("Access-Control-Allow-Headers",
                            equalTo("Content-Type, X-Namespace, Authorization, Authorization-Extras"))
                    .header("Access-Control-Allow-Credentials", "true")
                    .header("Access-Control-Max-Age", "600")
                    .header("Vary", containsString("Origin"));
        }
    }

    @Test
    void anUnknownOriginGetsNoCorsHeaders() {
        preflight("/decode", "https://evil.example")
                .statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue())
                .body("cause", equalTo("origin-not-allowed"));
        String ns = freshNamespace("cors");
        decodeFrom("https://evil.example", ns).statusCode(200).header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void responsesToTheConsoleCarryCorsHeadersEvenWhenTheyAreErrors() {
        String ns = freshNamespace("cors");
        decodeFrom(CONSOLE_ORIGIN, ns).statusCode(200)
                .header("Access-Control-Allow-Origin", CONSOLE_ORIGIN)
                .header("Access-Control-Allow-Credentials", "true");
        given().header("Origin", CONSOLE_ORIGIN).contentType("application/json").body("{}").post("/decode")
                .then().statusCode(400)
                .body("cause", equalTo("missing-namespace"))
                .header("Access-Control-Allow-Origin", CONSOLE_ORIGIN);
    }

    @Test
    void aNamespaceAllowsItsOwnOriginsForItselfOnly() {
        String ns = freshNamespace("tenant");
        String other = freshNamespace("neighbour");
        createKey(ns);
        String ui = "https://temporal-ui.tenant.example";

        given().contentType("application/json")
                .body("{\"allowedOrigins\":[\"https://Temporal-UI.tenant.example\"],\"allowCredentials\":false}")
                .put("/codec/cors/" + ns)
                .then().statusCode(200)
                .body("own.allowedOrigins[0]", equalTo(ui))
                .body("own.allowCredentials", equalTo(false))
                .body("defaults.allowedOrigins[0]", equalTo(CONSOLE_ORIGIN));

        preflight("/decode", ui).statusCode(200)
                .header("Access-Control-Allow-Origin", ui)
                .header("Access-Control-Allow-Credentials", nullValue());
        decodeFrom(ui, ns).statusCode(200).header("Access-Control-Allow-Origin", ui);
        decodeFrom(ui, other).statusCode(200).header("Access-Control-Allow-Origin", nullValue());
        decodeFrom(CONSOLE_ORIGIN, ns).statusCode(200).header("Access-Control-Allow-Origin", CONSOLE_ORIGIN);

        given().delete("/codec/cors/" + ns).then().statusCode(200).body("own", nullValue());
        decodeFrom(ui, ns).statusCode(200).header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void aWildcardIsNeverCombinedWithCredentials() {
        String ns = freshNamespace("wild");
        given().contentType("application/json").body("{\"allowedOrigins\":[\"*\"],\"allowCredentials\":true}")
                .put("/codec/cors/" + ns)
                .then().statusCode(400).body("cause", equalTo("wildcard-with-credentials"));

        given().contentType("application/json").body("{\"allowedOrigins\":[\"*\"]}").put("/codec/cors/" + ns)
                .then().statusCode(200);
        try {
            decodeFrom("https://anywhere.example", ns).statusCode(200)
                    .header("Access-Control-Allow-Origin", "*")
                    .header("Access-Control-Allow-Credentials", nullValue());
        } finally {
            given().delete("/codec/cors/" + ns).then().statusCode(200);
        }
    }

    @Test
    void originsAreValidated() {
        String ns = freshNamespace("origins");
        for (String bad : List.of("https://ui.example/path", "ftp://ui.example", "ui.example", "")) {
            given().contentType("application/json").body("{\"allowedOrigins\":[\"" + bad + "\"]}")
                    .put("/codec/cors/" + ns)
                    .then().statusCode(400).body("cause", equalTo("invalid-origin"));
        }
        given().contentType("application/json").body("{}").put("/codec/cors/" + ns)
                .then().statusCode(400).body("error", containsString("allowedOrigins is required"));
    }
}
