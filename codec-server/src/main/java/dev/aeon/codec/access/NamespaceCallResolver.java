package dev.aeon.codec.access;

import dev.aeon.auth.NamespacePermission;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;

/**
 * Resolves, once per request, which namespace it acts on and which {@link NamespacePermission} it needs there, and
 * makes the {@link NamespaceCall} available as {@link CurrentNamespaceCall}.
 *
 * <p>It runs between authentication and authorization ({@link Priorities#AUTHENTICATION} + 500): an authentication
 * filter at {@code AUTHENTICATION} answers 401 first; an authorization filter at {@code AUTHORIZATION} injects
 * {@link CurrentNamespaceCall} and answers 403 when the caller's claims lack the permission on that namespace. Both
 * belong to the auth module; nothing in the codec server checks a token.
 *
 * <p>The namespace is the {@code {namespace}} path parameter of the key and CORS APIs; for {@code encode} and
 * {@code decode}, the {@code X-Namespace} header, else the path segment before {@code encode}/{@code decode}
 * ({@code /orders/decode}).
 */
public class NamespaceCallResolver {

    public static final String NAMESPACE_HEADER = "X-Namespace";
    public static final int PRIORITY = Priorities.AUTHENTICATION + 500;

    @Inject
    CurrentNamespaceCall current;

    @ServerRequestFilter(priority = PRIORITY)
    public void resolve(ContainerRequestContext request, ResourceInfo resource) {
        RequiresNamespacePermission required = resource.getResourceMethod() == null ? null
                : resource.getResourceMethod().getAnnotation(RequiresNamespacePermission.class);
        if (required == null) {
            return;
        }
        String namespace;
        String source;
        String fromPath = request.getUriInfo().getPathParameters().getFirst("namespace");
        if (fromPath != null) {
            namespace = fromPath;
            source = "path segment {namespace}";
        } else {
            String header = request.getHeaderString(NAMESPACE_HEADER);
            if (header != null && !header.isBlank()) {
                namespace = header.trim();
                source = "header " + NAMESPACE_HEADER;
            } else {
                namespace = segmentBeforeLast(request.getUriInfo().getPath());
                source = "path segment before encode/decode";
            }
        }
        current.set(new NamespaceCall(Namespaces.validate(namespace, source), required.value()));
    }

    static String segmentBeforeLast(String path) {
        List<String> segments = List.of(path.split("/")).stream().filter(s -> !s.isEmpty()).toList();
        return segments.size() >= 2 ? segments.get(segments.size() - 2) : null;
    }
}
