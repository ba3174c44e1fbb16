/**
 * Opens the SQLite store at argv[2] and adds source argv[3]: run as a separate process by
 * migrations.test.ts to check that processes opening one fresh file at once don't race.
 */
import { openStore, upsertSource } from '../../store/index.ts';

const [path, name] = process.argv.slice(2);
const store = await openStore({ sqlitePath: path });
await upsertSource(store, name, 'csv', {});
await store.close();
