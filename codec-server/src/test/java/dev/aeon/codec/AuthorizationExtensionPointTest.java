package dev.aeon.codec;

import dev.aeon.codec.access.CurrentNamespaceCall;
import dev.aeon.codec.access.NamespaceCall;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.aeon.codec.CodecApi.body;
import static dev.aeon.codec.CodecApi.json;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * The contract CallerAuthorization builds on (CodecAuthTest tests the real thing): a filter at
 * {@link Priorities#AUTHORIZATION} sees the resolved namespace and permission and can refuse the call before the
 * resource runs. The probe acts only on requests that carry its header.
 */
@QuarkusTest
class AuthorizationExtensionPointTest {

    static final String PROBE = "X-Test-Probe-Namespace-Call";

    public static class Probe {
        @Inject
        CurrentNamespaceCall call;

        @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
        public Optional<Response> probe(ContainerRequestContext request) {
            if (request.getHeaderString(PROBE) == null) {
                return Optional.empty();
            }
            NamespaceCall resolved = call.find().orElse(null);
            return Optional.of(Response.status(418)
                    .entity(resolved == null ? "none" : resolved.namespace() + " " + resolved.permission())
                    .build());
        }
    }

    private static void expect(String method, String path, String namespaceHeader, String seen) {
        var request = given().header(PROBE, "1").contentType("application/json").body(body(List.of(json("1"))));
        if (namespaceHeader != null) {
            request.header("X-Namespace", namespaceHeader);
        }
        request.request(method, path).then().statusCode(418).body(equalTo(seen));
    }

    @Test
    void anAuthorizationFilterSeesNamespaceAndPermissionOfEveryEndpoint() {
        expect("POST", "/decode", "orders", "orders READ");
        expect("POST", "/encode", "orders", "orders WRITE");
        expect("POST", "/payments/decode", null, "payments READ");
        expect("GET", "/codec/keys/orders", null, "orders READ");
        expect("POST", "/codec/keys/orders", null, "orders ADMIN");
        expect("POST", "/codec/keys/orders/k1/disable", null, "orders ADMIN");
        expect("POST", "/codec/keys/orders/k1/enable", null, "orders ADMIN");
        expect("GET", "/codec/cors/orders", null, "orders READ");
        expect("PUT", "/codec/cors/orders", null, "orders ADMIN");
        expect("DELETE", "/codec/cors/orders", null, "orders ADMIN");
    }
}
