package dev.aeon.controlplane.api.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.util.Map;

/**
 * The web console, whose files (module {@code console}) Quarkus serves from {@code META-INF/resources/console/}: on
 * the control plane's origin, so the console calls the Cloud Ops API without CORS. It learns here where the data
 * plane's HTTP API and the codec server are, which allow this origin ({@code aeon.console.origin}) by CORS.
 */
@Path("/console")
public class ConsoleResource {

    @ConfigProperty(name = "aeon.console.http-api-url")
    String httpApiUrl;

    @ConfigProperty(name = "aeon.console.codec-url")
    String codecUrl;

    /** {@code /console} → {@code /console/}, so that the page's relative URLs resolve under it. */
    @GET
    public Response root() {
        return Response.status(Response.Status.MOVED_PERMANENTLY).location(URI.create("/console/")).build();
    }

    @GET
    @Path("config.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> config() {
        return Map.of("httpApiUrl", httpApiUrl, "codecUrl", codecUrl);
    }
}
