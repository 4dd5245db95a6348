export {
  type LocalEndpoint,
  type LocalEndpointAuth,
  LocalEndpointOptionError,
  type LocalEndpointOptions,
  type LocalEndpointTls,
  startLocalEndpoint,
} from './local-endpoint.js'
