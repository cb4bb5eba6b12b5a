package dev.aeon.controlplane.namespace;

import dev.aeon.controlplane.error.CloudApiException;
import io.temporal.api.cloud.cloudservice.v1.GetRegionRequest;
import io.temporal.api.cloud.cloudservice.v1.GetRegionResponse;
import io.temporal.api.cloud.cloudservice.v1.GetRegionsRequest;
import io.temporal.api.cloud.cloudservice.v1.GetRegionsResponse;
import io.temporal.api.cloud.region.v1.Region;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/**
 * The regions namespaces can live in: one per data-plane cell ({@code aeon.control-plane.regions}, default
 * {@code local}).
 */
@ApplicationScoped
public class Regions {

    @ConfigProperty(name = "aeon.control-plane.regions", defaultValue = "local")
    List<String> ids;

    public List<String> ids() {
        return ids;
    }

    public String defaultRegion() {
        return ids.get(0);
    }

    public boolean exists(String id) {
        return ids.contains(id);
    }

    public GetRegionsResponse list(GetRegionsRequest request) {
        GetRegionsResponse.Builder response = GetRegionsResponse.newBuilder();
        ids.forEach(id -> response.addRegions(region(id)));
        return response.build();
    }

    public GetRegionResponse get(GetRegionRequest request) {
        if (!exists(request.getRegion())) {
            throw CloudApiException.notFound("region", request.getRegion());
        }
        return GetRegionResponse.newBuilder().setRegion(region(request.getRegion())).build();
    }

    private static Region region(String id) {
        return Region.newBuilder().setId(id).setCloudProviderRegion(id).setLocation("Aeon cell " + id).build();
    }
}
