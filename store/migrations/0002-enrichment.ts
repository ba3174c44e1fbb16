/** Entities, relationships and join paths between tables; ontologies and where they apply. */
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.ts';

export function enrichmentMigration(col: ColumnTypes): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('table_entities')
        .addColumn('entity_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('table_id', col.uuid(), (c) => c.notNull().references('tables.table_id').onDelete('cascade'))
        .addColumn('detected_entity_type', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('confidence', col.double())
        .addColumn('evidence', col.json())
        .addColumn('grain_columns', col.json())
        .addColumn('is_fact_table', col.boolean(), (c) => c.notNull().defaultTo(false))
        .addColumn('is_dimension_table', col.boolean(), (c) => c.notNull().defaultTo(false))
        .addColumn('detection_source', 'text')
        .addColumn('detected_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        .execute();
      await db.schema.createIndex('table_entities_table_id_idx').on('table_entities').column('table_id').execute();

      await db.schema
        .createTable('relationships')
        .addColumn('relationship_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('from_table_id', col.uuid(), (c) => c.notNull().references('tables.table_id').onDelete('cascade'))
        .addColumn('from_column_id', col.uuid(), (c) => c.notNull().references('columns.column_id').onDelete('cascade'))
        .addColumn('to_table_id', col.uuid(), (c) => c.notNull().references('tables.table_id').onDelete('cascade'))
        .addColumn('to_column_id', col.uuid(), (c) => c.notNull().references('columns.column_id').onDelete('cascade'))
        .addColumn('relationship_type', 'text', (c) => c.notNull())
        .addColumn('cardinality', 'text')
        .addColumn('confidence', col.double())
        .addColumn('detection_method', 'text')
        .addColumn('evidence', col.json())
        .addColumn('is_confirmed', col.boolean(), (c) => c.notNull().defaultTo(false))
        .addColumn('confirmed_at', col.timestamp())
        .addColumn('confirmed_by', 'text')
        .addColumn('detected_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        // Leads with from_column_id: doubles as that foreign key's index.
        .addUniqueConstraint('relationships_from_column_id_to_column_id_key', ['from_column_id', 'to_column_id'])
        .execute();
      for (const column of ['from_table_id', 'to_table_id', 'to_column_id']) {
        await db.schema.createIndex(`relationships_${column}_idx`).on('relationships').column(column).execute();
      }

      await db.schema
        .createTable('join_paths')
        .addColumn('path_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('from_table_id', col.uuid(), (c) => c.notNull().references('tables.table_id').onDelete('cascade'))
        .addColumn('to_table_id', col.uuid(), (c) => c.notNull().references('tables.table_id').onDelete('cascade'))
        .addColumn('path_steps', col.json(), (c) => c.notNull())
        .addColumn('path_length', 'integer', (c) => c.notNull())
        .addColumn('total_confidence', col.double())
        .addColumn('computed_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        .execute();
      await db.schema.createIndex('join_paths_from_table_id_to_table_id_idx').on('join_paths').columns(['from_table_id', 'to_table_id']).execute();
      await db.schema.createIndex('join_paths_to_table_id_idx').on('join_paths').column('to_table_id').execute();

      await db.schema
        .createTable('ontologies')
        .addColumn('ontology_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('description', 'text')
        .addColumn('version', 'text')
        .addColumn('concepts', col.json())
        .addColumn('metrics', col.json())
        .addColumn('quality_rules', col.json())
        .addColumn('semantic_hints', col.json())
        .addColumn('is_builtin', col.boolean(), (c) => c.notNull().defaultTo(false))
        .addColumn('created_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        .addColumn('updated_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        .execute();

      await db.schema
        .createTable('ontology_applications')
        .addColumn('application_id', col.uuid(), (c) => c.primaryKey())
        .addColumn('table_id', col.uuid(), (c) => c.notNull().references('tables.table_id').onDelete('cascade'))
        .addColumn('ontology_id', col.uuid(), (c) => c.notNull().references('ontologies.ontology_id').onDelete('cascade'))
        .addColumn('matched_concepts', col.json())
        .addColumn('applicable_metrics', col.json())
        .addColumn('applied_rules', col.json())
        .addColumn('applied_at', col.timestamp(), (c) => c.notNull().defaultTo(col.now()))
        .execute();
      await db.schema.createIndex('ontology_applications_table_id_idx').on('ontology_applications').column('table_id').execute();
      await db.schema.createIndex('ontology_applications_ontology_id_idx').on('ontology_applications').column('ontology_id').execute();
    },

    async down(db: Kysely<any>) {
      for (const table of ['ontology_applications', 'ontologies', 'join_paths', 'relationships', 'table_entities']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
