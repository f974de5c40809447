// Package blob stores materials (uploaded documents) in an S3-compatible
// object store through minio-go: MinIO in the distributed deployment, and in
// the embedded default an in-process server (StartServer) that keeps objects
// as files under the data directory. Both are reached over real HTTP with the
// same client code, so what passes against one passes against the other.
//
// Store streams objects in both directions and never holds a whole object in
// memory: Put buffers at most one part (Config.PartSize) and records the
// SHA-256 of what it streamed in the object's user metadata; Get verifies
// that digest as the caller reads. A caller that already hashed the bytes
// (an upload spooled on the way in) uses PutSHA256: one signed PUT straight
// to the key, which the store checks against the digest. Browsers upload
// and download with short-lived presigned URLs (PresignPut, PresignGet), never a public bucket;
// a presigned PUT signs the body's length and type, so the store refuses
// any other body.
//
// Server wraps gofakes3 (afero backend on the OS file system) with what the
// embedded default needs beyond it: AWS Signature V4 checks (headers, every
// header a presigned query string signs, its expiry by the server's clock,
// and streamed chunk signatures) when
// credentials are configured, multipart uploads that are spooled to disk
// instead of memory, and request bodies that are spooled before the backend
// takes its lock, so one slow upload does not stall every other request.
package blob
