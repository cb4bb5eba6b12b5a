package dev.aeon.controlplane;

import dev.aeon.controlplane.store.AccountRow;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import jakarta.inject.Inject;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class RealPostgresTest {

    @Inject
    Mutiny.SessionFactory sessions;

    @Test
    @RunOnVertxContext
    void hibernateReactiveTalksToARealPostgreSQL(UniAsserter asserter) {
        asserter.assertThat(
                () -> sessions.withSession(s -> s.createNativeQuery("select version()", String.class).getSingleResult()),
                version -> assertTrue(version.startsWith("PostgreSQL "), "version() was " + version));
    }

    @Test
    @RunOnVertxContext
    void flywayMigrationsCreatedTheSchema(UniAsserter asserter) {
        asserter.assertThat(
                () -> sessions.withTransaction(s -> {
                    AccountRow account = new AccountRow();
                    account.id = "acct-real-pg";
                    account.name = "Real PG";
                    return s.persist(account);
                }).chain(() -> sessions.withSession(s -> s.find(AccountRow.class, "acct-real-pg"))),
                found -> {
                    assertEquals("Real PG", found.name);
                    assertTrue(found.createdAt != null, "created_at is set by the database default");
                });
    }

    @Test
    void readinessIncludesTheDatabase() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"));
    }
}
