package dev.aeon.controlplane;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class OpenApiDocumentTest {

    /** The committed copy; regenerate it with {@code -Daeon.openapi.write=true}. */
    private static final Path COPY = Path.of("..", "docs", "control-plane-openapi.json");

    @Test
    void theServedDocumentIsTheCommittedOne() throws Exception {
        String served = given().get("/openapi.json").then().statusCode(200)
                .body("paths.'/cloud/namespaces/{namespace}'.post.operationId", equalTo("UpdateNamespace"))
                .body("paths.'/cloud/api-keys'.get.parameters.find { it.name == 'page_size' }", notNullValue())
                .body("components.schemas.'temporal.api.cloud.namespace.v1.NamespaceSpec'", notNullValue())
                .extract().asString();
        if (Boolean.getBoolean("aeon.openapi.write")) {
            Files.writeString(COPY, served);
        }
        assertEquals(Files.readString(COPY), served, "docs/control-plane-openapi.json is stale: run this test with"
                + " -Daeon.openapi.write=true and commit the result");
    }
}
