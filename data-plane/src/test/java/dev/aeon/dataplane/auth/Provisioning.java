package dev.aeon.dataplane.auth;

import dev.aeon.auth.InternalToken;
import io.restassured.http.ContentType;

import java.util.Map;

import static io.restassured.RestAssured.given;

/** Namespaces provisioned the way the control plane does it (docs/internal-api.md), for the auth tests. */
final class Provisioning {

    private Provisioning() {
    }

    static void provision(String internalToken, String namespace, Map<String, Object> settings) {
        given().header(InternalToken.HEADER, internalToken).contentType(ContentType.JSON).body(settings)
                .put("/internal/v1/namespaces/" + namespace).then().statusCode(200);
    }
}
