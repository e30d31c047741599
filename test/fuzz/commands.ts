// The recorder of every socket command and its schema, shared with the API document generator.
export { commandSchemas, type CommandSchemas } from '../../server/contract/commands';
