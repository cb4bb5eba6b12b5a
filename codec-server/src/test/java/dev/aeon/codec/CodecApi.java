package dev.aeon.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.restassured.response.ValidatableResponse;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;

import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** The codec server's HTTP API as the tests drive it, and payloads to feed it. */
final class CodecApi {

    private CodecApi() {
    }

    /** A namespace no other test touches. */
    static String freshNamespace(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Payload json(String value) {
        return Payload.newBuilder()
                .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
                .setData(ByteString.copyFromUtf8(value))
                .build();
    }

    static String body(List<Payload> payloads) {
        try {
            return JsonFormat.printer().print(Payloads.newBuilder().addAllPayloads(payloads).build());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    static List<Payload> payloads(String json) {
        Payloads.Builder out = Payloads.newBuilder();
        try {
            JsonFormat.parser().merge(json, out);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not Payloads JSON: " + json, e);
        }
        return out.getPayloadsList();
    }

    /** Creates (or rotates to) a new generated key; returns its id. */
    static String createKey(String namespace) {
        return given().post("/codec/keys/" + namespace).then().statusCode(201).extract().path("keyId");
    }

    static ValidatableResponse post(String path, String namespace, String body) {
        var request = given().contentType("application/json").body(body);
        if (namespace != null) {
            request.header("X-Namespace", namespace);
        }
        return request.post(path).then();
    }

    static List<Payload> encode(String namespace, List<Payload> payloads) {
        return payloads(post("/encode", namespace, body(payloads)).statusCode(200).extract().asString());
    }

    static List<Payload> decode(String namespace, List<Payload> payloads) {
        return payloads(post("/decode", namespace, body(payloads)).statusCode(200).extract().asString());
    }
}
