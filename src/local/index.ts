export {
  type LocalEndpoint,
  type LocalEndpointAuth,
  type LocalEndpointDatabase,
  type LocalEndpointDialectConfig,
  type LocalEndpointDialectConfigOptions,
  LocalEndpointOptionError,
  type LocalEndpointOptions,
  type LocalEndpointSsl,
  type LocalEndpointTls,
  startLocalEndpoint,
} from './local-endpoint.js'
