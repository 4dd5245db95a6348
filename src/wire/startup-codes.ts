/**
 * The codes of the Postgres startup phase, shared by the dialect (which sends CancelRequest and
 * SSLRequest) and the local endpoint (which answers them). Before the StartupMessage, messages have
 * no type byte: an int32 length, then one of these int32 codes where a protocol version would be.
 * See https://www.postgresql.org/docs/current/protocol-message-formats.html
 */

/** The int32 after the length of an untyped startup-phase message. */
export enum StartupCode {
  /** Protocol 3.0 (196608): major 3 in the high 16 bits, minor 0 in the low 16 bits. */
  ProtocolVersion3 = 0x0003_0000,
  CancelRequest = 80877102, // 1234 << 16 | 5678
  SSLRequest = 80877103, // 1234 << 16 | 5679
  GSSENCRequest = 80877104, // 1234 << 16 | 5680
}

/** The single byte a server answers an SSLRequest (or GSSENCRequest) with. */
export enum EncryptionResponse {
  /** The client starts the TLS handshake right after this byte. */
  Accept = 0x53, // S
  /** The connection goes on unencrypted: the client sends its StartupMessage or gives up. */
  Refuse = 0x4e, // N
}
