package dev.aeon.e2e;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import dev.aeon.codec.sdk.CodecServerPayloadCodec;
import io.restassured.http.ContentType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web console in a real Chromium (Debian's chromium and chromedriver, driven by Selenium) against the platform
 * PlatformIT started, as a tenant uses it: a wrong key refused at sign-in, the owner signs in, creates a namespace
 * with an uploaded CA and waits for it, a service account and its API key, a Nexus endpoint; opens a workflow an SDK
 * started with encrypted payloads and sees its input decoded, terminates it; a READ key finds the buttons it cannot
 * use disabled and the API's refusal shown. Every main page is checked with axe-core (no serious or critical
 * violation) at 1280×800 and at a phone's width, and photographed ({@code -Daeon.e2e.screenshots=DIR}, default
 * {@code target/console-screenshots}; the README's pictures are these, in docs/console/).
 *
 * <p>Its own platform boot, not PlatformIT's: that one ends with a second data-plane node holding every shard, which
 * the console (talking to the first node's HTTP API) cannot use. Without Chromium it is skipped, saying so,
 * unless {@code AEON_E2E_BROWSER_REQUIRED=true} or {@code -Daeon.e2e.browser.required=true} (CI's .ci/run installs
 * Chromium and sets it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    private static final String NAMESPACE_NAME = "console-" + SUFFIX;

    private WebDriver browser;
    private Path userDataDir;
    private Path screenshots;
    private String console;
    private String namespace;
    private String workflowId;
    private String runId;

    private RunningPlatform platform;

    private RunningPlatform platform() {
        return platform;
    }

    @BeforeAll
    void start() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        boolean required = Boolean.getBoolean("aeon.e2e.browser.required")
                || "true".equals(System.getenv("AEON_E2E_BROWSER_REQUIRED"));
        if (!present && !required) {
            Assumptions.abort("no " + CHROMIUM + " and " + CHROMEDRIVER + ": apt-get install chromium chromium-driver"
                    + " (.ci/run does) to run the console's browser tests");
        }
        assertTrue(present, CHROMIUM + " and " + CHROMEDRIVER + " are required (aeon.e2e.browser.required)");
        userDataDir = Files.createTempDirectory("aeon-console-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // As root in a sandbox, on a machine whose outside network is closed: no background calls to Google.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + userDataDir, "--window-size=1280,800");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        platform = RunningPlatform.start();
        browser = new ChromeDriver(service, options);
        viewport(1280, 800);
        screenshots = Path.of(System.getProperty("aeon.e2e.screenshots", "target/console-screenshots")).toAbsolutePath();
        Files.createDirectories(screenshots);
        console = platform().env("AEON_CONSOLE_URL");
        namespace = NAMESPACE_NAME + "." + platform().env("AEON_ACCOUNT_ID");
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (platform != null) {
            platform.close();
        }
        if (userDataDir != null) {
            try (var files = Files.walk(userDataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void aWrongKeyCannotSignIn() {
        browser.get(console);
        waitFor(By.name("apiKey"));
        photograph("sign-in");
        accessible("sign-in");
        browser.findElement(By.name("apiKey")).sendKeys("not-a-key");
        click(By.cssSelector("button[type=submit]"));
        assertTrue(waitFor(By.cssSelector("[role=alert]")).getText().contains("Sign-in refused"));
        assertEquals(0L, script("return sessionStorage.length"), "a refused key is not kept");
    }

    @Test
    @Order(2)
    void theOwnerSignsInAndSeesWhoAndWhichRole() {
        signIn(platform().env("AEON_API_KEY"));
        assertEquals("role: OWNER", waitFor(By.cssSelector("[data-testid=role]")).getText());
        waitForText(By.tagName("main"), platform().env("AEON_NAMESPACE"));
    }

    @Test
    @Order(3)
    void createANamespaceWithAnUploadedCaAndWaitForIt() throws Exception {
        Path ca = Files.createTempDirectory("console-ca");
        RunningPlatform.aeon("certs", "ca", "--org", "Console E2E " + SUFFIX, "--ca-cert",
                ca.resolve("ca.pem").toString(), "--ca-key", ca.resolve("ca.key").toString());
        go("/namespaces");
        type("name", NAMESPACE_NAME);
        WebElement retention = browser.findElement(By.name("retentionDays"));
        retention.clear();
        retention.sendKeys("7");
        browser.findElement(By.name("caFile")).sendKeys(ca.resolve("ca.pem").toString());
        WebElement certificates = waitForText(By.cssSelector("[data-testid=certificates]"), "Console E2E " + SUFFIX);
        assertTrue(certificates.getText().contains(String.valueOf(java.time.Year.now().getValue() + 1)),
                "the expiry is shown: " + certificates.getText());
        photograph("namespaces", browser.findElement(By.xpath("//h2[text()='Create a namespace']")));
        accessible("namespaces");
        click(By.xpath("//button[text()='Create namespace']"));
        new WebDriverWait(browser, Duration.ofMinutes(2)).until(ExpectedConditions.textToBe(By.tagName("h1"),
                "Namespace " + namespace));
        waitForText(By.tagName("main"), "ACTIVE");
        assertTrue(browser.findElement(By.name("caPem")).getDomProperty("value").contains("BEGIN CERTIFICATE"));
        photograph("namespace");
        accessible("namespace");
    }

    @Test
    @Order(4)
    void createAServiceAccountAndItsApiKeyShownOnce() {
        go("/service-accounts");
        type("serviceAccountName", "console-robot-" + SUFFIX);
        new Select(browser.findElement(By.name("role"))).selectByVisibleText("DEVELOPER");
        type("namespacePermissions", namespace + "=WRITE");
        click(By.xpath("//button[text()='Create service account']"));
        new WebDriverWait(browser, Duration.ofMinutes(1)).until(d -> d.getCurrentUrl().contains("#/api-keys?owner="));
        waitForText(By.tagName("h1"), "API keys");
        type("displayName", "console-key-" + SUFFIX);
        click(By.xpath("//button[text()='Create API key']"));
        String token = waitForText(By.cssSelector("[data-testid=token]"), ".").getText().trim();
        assertTrue(waitFor(By.cssSelector("[data-testid=new-token]")).getText().contains("shown only this once"));
        given().baseUri(platform().env("AEON_CONTROL_PLANE_URL")).header("Authorization", "Bearer " + token)
                .get("/cloud/current-identity").then().statusCode(200)
                .body("serviceAccount.spec.name", org.hamcrest.Matchers.equalTo("console-robot-" + SUFFIX));
        photograph("api-key-created");
        accessible("api-keys");
    }

    @Test
    @Order(5)
    void createANexusEndpointWithItsAllowedCallers() {
        go("/nexus");
        type("endpointName", "console_ep_" + SUFFIX);
        new Select(browser.findElement(By.name("targetNamespace"))).selectByValue(namespace);
        type("taskQueue", "console-nexus");
        type("allowedCallers", platform().env("AEON_NAMESPACE"));
        click(By.xpath("//button[text()='Create endpoint']"));
        WebElement main = waitForText(By.tagName("main"), "console_ep_" + SUFFIX);
        new WebDriverWait(browser, Duration.ofMinutes(1)).until(d -> main.getText().contains(namespace + " / console-nexus"));
        assertTrue(browser.findElement(By.xpath("//*[contains(@aria-label,'Remove " + platform().env("AEON_NAMESPACE")
                + " from console_ep_" + SUFFIX + "')]")).isEnabled());
        photograph("nexus-endpoints");
        accessible("nexus-endpoints");
    }

    @Test
    @Order(6)
    void aWorkflowStartedByTheSdkWithEncryptedPayloadsIsShownDecoded() {
        String owner = platform().env("AEON_API_KEY");
        given().baseUri(platform().env("AEON_CODEC_URL")).header("Authorization", "Bearer " + owner)
                .contentType(ContentType.JSON).body("{}").post("/codec/keys/" + namespace).then().statusCode(201);
        workflowId = "console-order-" + SUFFIX;
        runId = startEncrypted(owner, workflowId, "secret order 42");

        go("/namespaces/" + namespace + "/workflows");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> {
            if (d.findElement(By.tagName("main")).getText().contains(workflowId)) {
                return true;
            }
            d.navigate().refresh();
            return false;
        });
        waitForText(By.cssSelector(".counts"), "Running: 1");
        photograph("workflows");
        accessible("workflows");

        click(By.linkText(workflowId));
        WebElement input = waitForText(By.cssSelector("[data-testid=input]"), "secret order 42");
        assertFalse(input.getText().contains("encrypted"));
        photograph("workflow");
        accessible("workflow");

        // What the codec server will not decode stays encrypted, and the page says why.
        String keys = "/codec/keys/" + namespace;
        String keyId = given().baseUri(platform().env("AEON_CODEC_URL")).header("Authorization", "Bearer " + owner)
                .get(keys).then().statusCode(200).extract().path("currentKeyId");
        given().baseUri(platform().env("AEON_CODEC_URL")).header("Authorization", "Bearer " + owner)
                .post(keys + "/" + keyId + "/disable").then().statusCode(200);
        try {
            String shown = waitUntilShown(By.cssSelector("[data-testid=input]"), "encrypted");
            assertFalse(shown.contains("secret order 42"), shown);
            assertTrue(browser.findElement(By.cssSelector(".notice")).getText().contains("stay encrypted"));
        } finally {
            given().baseUri(platform().env("AEON_CODEC_URL")).header("Authorization", "Bearer " + owner)
                    .post(keys + "/" + keyId + "/enable").then().statusCode(200);
        }
    }

    /** Reloads the page until {@code by} shows {@code text} (the codec server caches keys for a while). */
    private String waitUntilShown(By by, String text) {
        waiting(Duration.ofSeconds(60)).until(d -> {
            d.navigate().refresh();
            List<WebElement> found = new WebDriverWait(d, Duration.ofSeconds(10))
                    .until(ExpectedConditions.presenceOfAllElementsLocatedBy(by));
            return found.get(0).getText().contains(text);
        });
        return browser.findElement(by).getText();
    }

    @Test
    @Order(7)
    void terminateTheWorkflowAfterConfirming() {
        go("/namespaces/" + namespace + "/workflows/" + workflowId + "/" + runId);
        type("reason", "ended from the console test");
        click(By.xpath("//button[text()='Terminate workflow']"));
        click(By.xpath("//dialog[@open]//button[text()='Terminate']"));
        waitForText(By.cssSelector("[data-testid=summary]"), "TERMINATED");
        waitForText(By.tagName("main"), "ended from the console test");
    }

    @Test
    @Order(8)
    void aReadKeyCannotCreateOrTerminateAndSeesTheApisRefusal() throws Exception {
        String owner = platform().env("AEON_API_KEY");
        String running = "console-running-" + SUFFIX;
        String runningRun = startEncrypted(owner, running, "still running");
        String[] reader = serviceAccountKey(owner, "ROLE_READ", "PERMISSION_WRITE");

        click(By.xpath("//button[text()='Sign out']"));
        waitFor(By.name("apiKey"));
        assertEquals(0L, script("return sessionStorage.length"), "signing out forgets the key");
        signIn(reader[1]);
        assertEquals("role: READ", waitFor(By.cssSelector("[data-testid=role]")).getText());
        go("/namespaces");
        assertFalse(browser.findElement(By.xpath("//button[text()='Create namespace']")).isEnabled());
        waitForText(By.tagName("main"), "Creating a namespace needs the account role OWNER, ADMIN or DEVELOPER; yours is READ");

        // Signed in with WRITE on the namespace, the console offers to terminate; then the owner takes WRITE away,
        // and the data plane's refusal is what the console shows.
        String workflowPage = "/namespaces/" + namespace + "/workflows/" + running + "/" + runningRun;
        go(workflowPage);
        waitForText(By.cssSelector("[data-testid=input]"), "still running");
        assertTrue(browser.findElement(By.xpath("//button[text()='Terminate workflow']")).isEnabled());
        given().baseUri(platform().env("AEON_CONTROL_PLANE_URL")).header("Authorization", "Bearer " + owner)
                .contentType(ContentType.JSON).body("{\"access\":{\"permission\":\"PERMISSION_READ\"},\"resourceVersion\":\"1\"}")
                .post("/cloud/namespaces/" + namespace + "/service-accounts/" + reader[0] + "/access").then().statusCode(200);
        Thread.sleep(6000); // services trust a key's access for up to 5 s
        click(By.xpath("//button[text()='Terminate workflow']"));
        click(By.xpath("//dialog[@open]//button[text()='Terminate']"));
        assertTrue(waitFor(By.cssSelector("[role=alert]")).getText().contains("HTTP 403"),
                browser.findElement(By.tagName("main")).getText());

        // Signed in again, the console knows the key has READ only: the buttons are disabled, saying why.
        browser.navigate().refresh();
        waitForText(By.cssSelector("[data-testid=input]"), "still running");
        WebElement terminate = browser.findElement(By.xpath("//button[text()='Terminate workflow']"));
        assertFalse(terminate.isEnabled());
        assertTrue(terminate.getDomAttribute("title").contains("needs WRITE on " + namespace + "; your service account has READ"),
                terminate.getDomAttribute("title"));
        assertFalse(browser.findElement(By.xpath("//button[text()='Send signal']")).isEnabled());
        photograph("read-only-workflow");
        accessible("read-only-workflow");
    }

    @Test
    @Order(9)
    void thePagesWorkAtAPhonesWidth() {
        signIn(platform().env("AEON_API_KEY"));
        viewport(390, 844);
        try {
            go("/namespaces");
            photograph("phone-namespaces");
            accessible("phone-namespaces");
            go("/namespaces/" + namespace + "/workflows/" + workflowId + "/" + runId);
            waitForText(By.cssSelector("[data-testid=input]"), "secret order 42");
            assertTrue((Long) script("return document.documentElement.scrollWidth") <= 390 + 1,
                    "the workflow page fits a phone's width without scrolling sideways");
            photograph("phone-workflow");
            accessible("phone-workflow");
            go("/audit");
            waitForText(By.tagName("main"), "CreateNamespace");
            accessible("phone-audit");
        } finally {
            viewport(1280, 800);
        }
        go("/audit");
        waitForText(By.tagName("main"), "CreateNexusEndpoint");
        photograph("audit-log");
        accessible("audit-log");
    }

    /** The page's own size (the window's, less what the browser draws around the page). */
    private void viewport(int width, int height) {
        browser.manage().window().setSize(new Dimension(width, height));
        long innerWidth = (Long) script("return window.innerWidth");
        long innerHeight = (Long) script("return window.innerHeight");
        browser.manage().window().setSize(new Dimension(width + (int) (width - innerWidth),
                height + (int) (height - innerHeight)));
    }

    private void signIn(String key) {
        if (!browser.findElements(By.xpath("//button[text()='Sign out']")).isEmpty()) {
            click(By.xpath("//button[text()='Sign out']"));
        }
        browser.get(console + "#/signin");
        waitFor(By.name("apiKey")).sendKeys(key);
        click(By.cssSelector("button[type=submit]"));
        waitFor(By.cssSelector("[data-testid=role]"));
    }

    private String startEncrypted(String apiKey, String id, String input) {
        WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(platform().env("AEON_ADDRESS")).addApiKey(() -> apiKey).setEnableHttps(false).build());
        try {
            WorkflowClient client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder()
                    .setNamespace(namespace).setDataConverter(new CodecDataConverter(DefaultDataConverter.STANDARD_INSTANCE,
                            List.of(CodecServerPayloadCodec.newBuilder(URI.create(platform().env("AEON_CODEC_URL")), namespace)
                                    .apiKey(apiKey).build()))).build());
            // No worker polls this queue: the workflow stays running, for the console to show and terminate.
            WorkflowStub stub = client.newUntypedWorkflowStub("ConsoleOrder", WorkflowOptions.newBuilder()
                    .setWorkflowId(id).setTaskQueue("console-nobody").build());
            return stub.start(input).getRunId();
        } finally {
            service.shutdownNow();
        }
    }

    /** A service account with {@code role} and {@code permission} on the namespace, and its key: {id, token}. */
    private String[] serviceAccountKey(String owner, String role, String permission) {
        String cloud = platform().env("AEON_CONTROL_PLANE_URL");
        String accountId = given().baseUri(cloud).header("Authorization", "Bearer " + owner).contentType(ContentType.JSON)
                .body("{\"spec\":{\"name\":\"console-reader-" + SUFFIX + "\",\"access\":{\"accountAccess\":{\"role\":\""
                        + role + "\"},\"namespaceAccesses\":{\"" + namespace + "\":{\"permission\":\"" + permission + "\"}}}}}")
                .post("/cloud/service-accounts").then().statusCode(200).extract().path("serviceAccountId");
        String token = given().baseUri(cloud).header("Authorization", "Bearer " + owner).contentType(ContentType.JSON)
                .body("{\"spec\":{\"ownerId\":\"" + accountId + "\",\"ownerType\":\"OWNER_TYPE_SERVICE_ACCOUNT\","
                        + "\"displayName\":\"reader\",\"expiryTime\":\"" + java.time.Instant.now().plus(Duration.ofDays(1)) + "\"}}")
                .post("/cloud/api-keys").then().statusCode(200).extract().path("token");
        return new String[] {accountId, token};
    }

    private void go(String path) {
        browser.get(console + "#" + path);
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector("main [aria-busy]")).isEmpty()
                && !d.findElements(By.cssSelector("main h1")).isEmpty());
    }

    private void type(String name, String text) {
        WebElement input = waitFor(By.name(name));
        input.clear();
        input.sendKeys(text);
    }

    private void click(By by) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    private WebElement waitFor(By by) {
        return waiting(Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private WebElement waitForText(By by, String text) {
        waiting(Duration.ofSeconds(60)).until(ExpectedConditions.textToBePresentInElementLocated(by, text));
        return browser.findElement(by);
    }

    /** A wait whose failure says what the page showed instead. */
    private WebDriverWait waiting(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser, timeout);
        wait.withMessage(() -> "the page at " + browser.getCurrentUrl() + " shows:\n"
                + browser.findElements(By.tagName("main")).stream().map(WebElement::getText).findFirst().orElse("(no main)"));
        return wait;
    }

    private Object script(String code) {
        return ((JavascriptExecutor) browser).executeScript(code);
    }

    private void photograph(String name) {
        script("window.scrollTo(0, 0)");
        save(name);
    }

    /** A picture from {@code element} down. */
    private void photograph(String name, WebElement element) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'start'})", element);
        save(name);
    }

    private void save(String name) {
        try {
            Files.write(screenshots.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** axe-core's WCAG 2 A/AA rules on the page as it is: no serious or critical violation. */
    private void accessible(String page) {
        Results results = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
                .analyze(browser);
        List<Rule> bad = results.getViolations().stream()
                .filter(rule -> "serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact()))
                .collect(Collectors.toList());
        assertTrue(bad.isEmpty(), page + ": " + bad.stream().map(rule -> rule.getId() + " (" + rule.getImpact() + "): "
                + rule.getHelp() + " at " + rule.getNodes().stream().map(node -> String.valueOf(node.getTarget()))
                .collect(Collectors.joining(", "))).collect(Collectors.joining("; ")));
    }
}
