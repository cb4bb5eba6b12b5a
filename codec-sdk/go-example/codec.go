// Package aeoncodec encrypts Temporal payloads in the format of the Aeon codec server and its Java codec SDK
// (which is also the format of Temporal's samples-go/encryption): the whole serialized
// temporal.api.common.v1.Payload is encrypted with AES-256-GCM under a random 12-byte nonce, stored as
// nonce || ciphertext || tag, with metadata encoding=binary/encrypted and encryption-key-id=<id>.
//
// Payloads it encrypts decode in the Web UI and the temporal CLI through the codec server once the same key is
// imported there (POST /codec/keys/{namespace} with {"keyId": ..., "key": <base64>}), and it decrypts what the
// codec server encrypted with such a key.
package aeoncodec

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"fmt"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

const (
	// EncodingEncrypted is the metadata encoding of an encrypted payload.
	EncodingEncrypted = "binary/encrypted"
	// MetadataKeyID names the key a payload was encrypted with.
	MetadataKeyID = "encryption-key-id"
	// MetadataCipher is written by the Java SDK codecs; optional when reading.
	MetadataCipher = "encryption-cipher"
	// CipherAESGCM is the only cipher of the format.
	CipherAESGCM = "AES/GCM/NoPadding"
)

// Codec is a converter.PayloadCodec. CurrentKeyID encrypts; every key in Keys decrypts (rotation keeps the old
// ones). Keys are 32 bytes (AES-256).
type Codec struct {
	CurrentKeyID string
	Keys         map[string][]byte
}

var _ converter.PayloadCodec = (*Codec)(nil)

// Encode encrypts every payload with the current key.
func (c *Codec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	aead, err := c.aead(c.CurrentKeyID)
	if err != nil {
		return nil, err
	}
	result := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		plain, err := proto.Marshal(p)
		if err != nil {
			return nil, fmt.Errorf("payload %d: %w", i, err)
		}
		nonce := make([]byte, aead.NonceSize())
		if _, err := rand.Read(nonce); err != nil {
			return nil, err
		}
		result[i] = &commonpb.Payload{
			Metadata: map[string][]byte{
				converter.MetadataEncoding: []byte(EncodingEncrypted),
				MetadataKeyID:              []byte(c.CurrentKeyID),
				MetadataCipher:             []byte(CipherAESGCM),
			},
			Data: aead.Seal(nonce, nonce, plain, nil),
		}
	}
	return result, nil
}

// Decode decrypts encrypted payloads with the key each names; other payloads pass through unchanged.
func (c *Codec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	result := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if string(p.GetMetadata()[converter.MetadataEncoding]) != EncodingEncrypted {
			result[i] = p
			continue
		}
		if name, ok := p.GetMetadata()[MetadataCipher]; ok && string(name) != CipherAESGCM {
			return nil, fmt.Errorf("payload %d: unsupported cipher %q", i, name)
		}
		keyID, ok := p.GetMetadata()[MetadataKeyID]
		if !ok {
			return nil, fmt.Errorf("payload %d: no %s metadata", i, MetadataKeyID)
		}
		aead, err := c.aead(string(keyID))
		if err != nil {
			return nil, fmt.Errorf("payload %d: %w", i, err)
		}
		data := p.GetData()
		if len(data) < aead.NonceSize()+aead.Overhead() {
			return nil, fmt.Errorf("payload %d: encrypted data is %d bytes, too short", i, len(data))
		}
		plain, err := aead.Open(nil, data[:aead.NonceSize()], data[aead.NonceSize():], nil)
		if err != nil {
			return nil, fmt.Errorf("payload %d: tampered, corrupted or not encrypted with key %q", i, keyID)
		}
		result[i] = &commonpb.Payload{}
		if err := proto.Unmarshal(plain, result[i]); err != nil {
			return nil, fmt.Errorf("payload %d: decrypted bytes are not a Payload: %w", i, err)
		}
	}
	return result, nil
}

func (c *Codec) aead(keyID string) (cipher.AEAD, error) {
	key, ok := c.Keys[keyID]
	if !ok {
		return nil, fmt.Errorf("unknown key %q", keyID)
	}
	if len(key) != 32 {
		return nil, fmt.Errorf("key %q is %d bytes, AES-256 needs 32", keyID, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
