package aeoncodec

import (
	"bytes"
	"encoding/base64"
	"os"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// vectorKey is bytes 0..31; the vectors below were encrypted with it under key id "vector-key".
func vectorKey() []byte {
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(i)
	}
	return key
}

// javaVector was encrypted by the Java codec SDK (EncryptedPayloadFormat.encrypt), printed as proto3 JSON.
const javaVector = `{"metadata":{"encoding":"YmluYXJ5L2VuY3J5cHRlZA==","encryption-cipher":"QUVTL0dDTS9Ob1BhZGRpbmc=","encryption-key-id":"dmVjdG9yLWtleQ=="},"data":"1qqeOTibPZldNHoUSkonDweWwBAifnf4C1JnoQIv7SvbvB2v3IeSZzhr/78uM6kJB/ZXrbA62NOpTLj4+85xHC74JdvwoRY="}`

func jsonPayload(value string) *commonpb.Payload {
	return &commonpb.Payload{
		Metadata: map[string][]byte{"encoding": []byte("json/plain")},
		Data:     []byte(value),
	}
}

func TestRoundTripAndRotation(t *testing.T) {
	oldKey, newKey := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	before := &Codec{CurrentKeyID: "k1", Keys: map[string][]byte{"k1": oldKey}}
	after := &Codec{CurrentKeyID: "k2", Keys: map[string][]byte{"k1": oldKey, "k2": newKey}}

	old, err := before.Encode([]*commonpb.Payload{jsonPayload(`"old"`)})
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := after.Encode([]*commonpb.Payload{jsonPayload(`"new"`)})
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := after.Decode(append(old, fresh...))
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(decoded[0], jsonPayload(`"old"`)) || !proto.Equal(decoded[1], jsonPayload(`"new"`)) {
		t.Fatalf("decoded %v", decoded)
	}
}

func TestTamperedCiphertextFails(t *testing.T) {
	codec := &Codec{CurrentKeyID: "k", Keys: map[string][]byte{"k": vectorKey()}}
	encrypted, _ := codec.Encode([]*commonpb.Payload{jsonPayload(`1`)})
	encrypted[0].Data[20] ^= 1
	if _, err := codec.Decode(encrypted); err == nil {
		t.Fatal("tampered payload decoded")
	}
}

func TestPlainPayloadsPassThrough(t *testing.T) {
	codec := &Codec{CurrentKeyID: "k", Keys: map[string][]byte{"k": vectorKey()}}
	plain := jsonPayload(`"plain"`)
	decoded, err := codec.Decode([]*commonpb.Payload{plain})
	if err != nil || decoded[0] != plain {
		t.Fatalf("decoded %v, %v", decoded, err)
	}
}

func TestDecodesWhatTheJavaCodecEncrypted(t *testing.T) {
	var encrypted commonpb.Payload
	if err := protojson.Unmarshal([]byte(javaVector), &encrypted); err != nil {
		t.Fatal(err)
	}
	codec := &Codec{CurrentKeyID: "vector-key", Keys: map[string][]byte{"vector-key": vectorKey()}}
	decoded, err := codec.Decode([]*commonpb.Payload{&encrypted})
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(decoded[0], jsonPayload(`"hello from Java"`)) {
		t.Fatalf("decoded %v", decoded[0])
	}
}

// TestPrintVector prints a Go-encrypted vector for the Java side's test: AEON_PRINT_VECTOR=1 go test -run Print -v
func TestPrintVector(t *testing.T) {
	if os.Getenv("AEON_PRINT_VECTOR") == "" {
		t.Skip("set AEON_PRINT_VECTOR=1 to print a vector")
	}
	codec := &Codec{CurrentKeyID: "vector-key", Keys: map[string][]byte{"vector-key": vectorKey()}}
	encrypted, err := codec.Encode([]*commonpb.Payload{jsonPayload(`"hello from Go"`)})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := protojson.Marshal(encrypted[0])
	t.Log(string(out))
	t.Log(base64.StdEncoding.EncodeToString(encrypted[0].Data))
}
