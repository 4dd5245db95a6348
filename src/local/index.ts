export {
  type LocalEndpoint,
  type LocalEndpointAuth,
  type LocalEndpointDatabase,
  type LocalEndpointDialectConfig,
  type LocalEndpointDialectConfigOptions,
  type LocalEndpointLimitOptions,
  LocalEndpointOptionError,
  type LocalEndpointOptions,
  type LocalEndpointSsl,
  type LocalEndpointTls,
  type MotherDuckUserInfo,
  startLocalEndpoint,
} from './local-endpoint.js'
export { LocalEndpointPortInUseError } from './startup/port-in-use-error.js'
