package dev.aeon.controlplane;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static dev.aeon.controlplane.CloudApi.as;
import static dev.aeon.controlplane.CloudApi.createNamespace;
import static dev.aeon.controlplane.CloudApi.namespaceSpec;
import static dev.aeon.controlplane.CloudApi.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each account role against each kind of call, allowed or denied exactly as {@code security/Authorization} says:
 * OWNER and ADMIN manage everything in the account; DEVELOPER creates namespaces and administers those it has ADMIN
 * on, and a namespace it has no permission on is missing to it (404); READ reads everything and changes nothing
 * (403); everyone manages their own API keys. Only an OWNER acts on an OWNER: an ADMIN cannot issue, disable or
 * delete an owner's keys, change or remove an owner, or make anyone OWNER (else it could make itself one).
 */
@QuarkusTest
class RbacMatrixTest {

    private static final List<String> ROLES = List.of("OWNER", "ADMIN", "DEVELOPER", "READ");

    /** A call, and what each role gets: statuses in the order of {@link #ROLES}. */
    enum Call {
        CREATE_NAMESPACE(new int[] {200, 200, 200, 403}, (f, caller) -> as(caller.token())
                .body("{\"spec\":" + namespaceSpec("m-" + unique(), 7) + "}").post("/cloud/namespaces")),
        READ_NAMESPACE_WITHOUT_PERMISSION(new int[] {200, 200, 404, 200}, (f, caller) -> as(caller.token())
                .get("/cloud/namespaces/" + f.foreignNamespace)),
        UPDATE_NAMESPACE_WITHOUT_PERMISSION(new int[] {200, 200, 404, 403}, (f, caller) -> {
            String id = createNamespace(f.owner, "u-" + unique());
            return as(caller.token()).body("{\"spec\":" + namespaceSpec(id.substring(0, id.indexOf('.')), 8)
                    + ",\"resourceVersion\":\"1\"}").post("/cloud/namespaces/" + id);
        }),
        DELETE_NAMESPACE_WITHOUT_PERMISSION(new int[] {200, 200, 404, 403}, (f, caller) -> as(caller.token())
                .delete("/cloud/namespaces/" + createNamespace(f.owner, "d-" + unique()) + "?resourceVersion=1")),
        CREATE_USER(new int[] {200, 200, 403, 403}, (f, caller) -> as(caller.token())
                .body("{\"spec\":{\"email\":\"m-" + unique() + "@example.com\",\"access\":{\"accountAccess\":"
                        + "{\"role\":\"ROLE_READ\"}}}}").post("/cloud/users")),
        CREATE_SERVICE_ACCOUNT(new int[] {200, 200, 403, 403}, (f, caller) -> as(caller.token())
                .body("{\"spec\":{\"name\":\"m-" + unique() + "\",\"access\":{\"accountAccess\":"
                        + "{\"role\":\"ROLE_READ\"}}}}").post("/cloud/service-accounts")),
        CREATE_OWN_API_KEY(new int[] {200, 200, 200, 200}, (f, caller) -> as(caller.token())
                .body(CloudApi.apiKeyRequest(caller.id(), "OWNER_TYPE_USER")).post("/cloud/api-keys")),
        CREATE_API_KEY_FOR_AN_OWNER(new int[] {200, 403, 403, 403}, (f, caller) -> as(caller.token())
                .body(CloudApi.apiKeyRequest(f.ownerId, "OWNER_TYPE_USER")).post("/cloud/api-keys")),
        CREATE_API_KEY_FOR_A_DEVELOPER(new int[] {200, 200, 403, 403}, (f, caller) -> as(caller.token())
                .body(CloudApi.apiKeyRequest(f.developerId, "OWNER_TYPE_USER")).post("/cloud/api-keys")),
        CREATE_API_KEY_FOR_AN_OWNER_SERVICE_ACCOUNT(new int[] {200, 403, 403, 403}, (f, caller) -> as(caller.token())
                .body(CloudApi.apiKeyRequest(CloudApi.newServiceAccount(f.owner, "ROLE_OWNER").id(),
                        "OWNER_TYPE_SERVICE_ACCOUNT")).post("/cloud/api-keys")),
        DELETE_AN_OWNERS_API_KEY(new int[] {200, 403, 404, 404}, (f, caller) -> as(caller.token())
                .delete("/cloud/api-keys/" + CloudApi.newUser(f.owner, "ROLE_OWNER", null).keyId()
                        + "?resourceVersion=1")),
        GRANT_OWNER(new int[] {200, 403, 403, 403}, (f, caller) -> as(caller.token())
                .body("{\"spec\":{\"email\":\"m-" + unique() + "@example.com\",\"access\":{\"accountAccess\":"
                        + "{\"role\":\"ROLE_OWNER\"}}}}").post("/cloud/users")),
        DEMOTE_AN_OWNER(new int[] {200, 403, 403, 403}, (f, caller) -> {
            String id = CloudApi.newUser(f.owner, "ROLE_OWNER", null).id();
            String email = as(f.owner).get("/cloud/users/" + id).then().extract().path("user.spec.email");
            return as(caller.token()).body("{\"spec\":{\"email\":\"" + email + "\",\"access\":{\"accountAccess\":"
                    + "{\"role\":\"ROLE_READ\"}}},\"resourceVersion\":\"1\"}").post("/cloud/users/" + id);
        }),
        DELETE_AN_OWNER(new int[] {200, 403, 403, 403}, (f, caller) -> as(caller.token())
                .delete("/cloud/users/" + CloudApi.newUser(f.owner, "ROLE_OWNER", null).id() + "?resourceVersion=1")),
        DELETE_AN_OWNER_SERVICE_ACCOUNT(new int[] {200, 403, 403, 403}, (f, caller) -> as(caller.token())
                .delete("/cloud/service-accounts/" + CloudApi.newServiceAccount(f.owner, "ROLE_OWNER").id()
                        + "?resourceVersion=1")),
        DELETE_A_DEVELOPER(new int[] {200, 200, 403, 403}, (f, caller) -> as(caller.token())
                .delete("/cloud/users/" + CloudApi.newUser(f.owner, "ROLE_DEVELOPER", null).id()
                        + "?resourceVersion=1")),
        READ_SCHEDULE_WITHOUT_PERMISSION(new int[] {200, 200, 404, 200}, (f, caller) -> as(caller.token())
                .get("/cloud/namespaces/" + f.foreignNamespace + "/schedules/nightly")),
        CREATE_SCHEDULE_WITHOUT_PERMISSION(new int[] {200, 200, 404, 403}, (f, caller) -> as(caller.token())
                .body("{\"schedule\":{}}")
                .post("/cloud/namespaces/" + f.foreignNamespace + "/schedules/s-" + unique())),
        LIST_NAMESPACES(new int[] {200, 200, 200, 200}, (f, caller) -> as(caller.token()).get("/cloud/namespaces"));

        final int[] statuses;
        final BiFunction<Fixture, CloudApi.Identity, Response> call;

        Call(int[] statuses, BiFunction<Fixture, CloudApi.Identity, Response> call) {
            this.statuses = statuses;
            this.call = call;
        }
    }

    /** One account: its owner, a namespace nobody but the account admins was given, a user of each role. */
    record Fixture(String owner, String ownerId, String developerId, String foreignNamespace,
                   Map<String, CloudApi.Identity> callers) {
    }

    private static Fixture fixture;

    static Stream<Arguments> matrix() {
        return Arrays.stream(Call.values()).flatMap(call -> ROLES.stream()
                .map(role -> Arguments.of(role, call, call.statuses[ROLES.indexOf(role)])));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("matrix")
    void eachRoleGetsExactlyWhatTheRulesSay(String role, Call call, int expected) {
        Fixture f = fixture();
        Response response = call.call.apply(f, f.callers().get(role));
        assertEquals(expected, response.statusCode(), role + " " + call + ": " + response.asString());
        if (expected == 403) {
            assertEquals("PERMISSION_DENIED", response.jsonPath().getString("code"));
        }
        if (call == Call.LIST_NAMESPACES) {
            List<String> seen = response.jsonPath().getList("namespaces.namespace");
            assertEquals(!role.equals("DEVELOPER"), seen != null && seen.contains(f.foreignNamespace()),
                    role + " sees the namespace it has no explicit permission on: " + seen);
        }
    }

    private static synchronized Fixture fixture() {
        if (fixture == null) {
            String owner = CloudApi.newAccount("matrix");
            String ownerId = as(owner).get("/cloud/current-identity").then().statusCode(200).extract().path("user.id");
            String foreign = createNamespace(owner, "foreign-" + unique());
            Map<String, CloudApi.Identity> callers = new java.util.HashMap<>();
            ROLES.forEach(role -> callers.put(role, CloudApi.newUser(owner, "ROLE_" + role, null)));
            String developerId = CloudApi.newUser(owner, "ROLE_DEVELOPER", null).id();
            fixture = new Fixture(owner, ownerId, developerId, foreign, Map.copyOf(callers));
        }
        return fixture;
    }
}
