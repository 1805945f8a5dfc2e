/**
 * λ api: the HTTP API (API Gateway HTTP API in AWS; the local server forwards to it too).
 * Routes live in api-routes.ts; this file maps API Gateway events to them and their answers back.
 */
import { apiRoutes, type ApiDependencies } from './api-routes';
import { httpHandler } from './http';

// The HTTP plumbing moved to http.ts (the Notify callbacks function shares it); re-exported for the local server.
export { callerOf, errorName, httpHandler } from './http';

export function apiHandler(deps: ApiDependencies) {
  return httpHandler(apiRoutes(deps));
}
