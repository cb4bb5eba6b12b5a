package dev.aeon.embedded;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The jar or classes directory a classpath resource was loaded from. */
final class CodeLocation {

    private CodeLocation() {
    }

    static String of(URL resource, String resourceName) {
        try {
            String url = resource.toString();
            if (url.startsWith("jar:")) {
                return Path.of(new URL(url.substring(4, url.indexOf("!/"))).toURI()).toString();
            }
            String root = url.substring(0, url.length() - resourceName.length());
            return Path.of(new URL(root).toURI()).toString();
        } catch (java.net.MalformedURLException | URISyntaxException e) {
            throw new EmbeddedServerException("cannot locate " + resourceName + " at " + resource);
        }
    }
}
