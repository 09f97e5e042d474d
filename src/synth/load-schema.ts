// The editor JSON Schema for load profiles, generated from the zod schema that validates them.
import { profileJsonSchema } from '../load-contract/profile.js';
import { toJson } from './serialize.js';

export const PROFILE_SCHEMA = 'load/profiles/profile.schema.json';

export const renderLoadSchema = (): Map<string, string> => new Map([[PROFILE_SCHEMA, toJson(profileJsonSchema())]]);
