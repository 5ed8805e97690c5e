/*
 * The operation table is assembled from one array per module (so each
 * module keeps its operations beside its code) into one sorted table:
 * each module's array is declared here and listed once in table.c.
 */
#ifndef AIMS_OP_INTERNAL_H
#define AIMS_OP_INTERNAL_H

#include "aims/op.h"


/* one array per module, each terminated by an entry with name NULL */
extern const aims_op aims__ops_aiact[];
extern const aims_op aims__ops_assess[];
extern const aims_op aims__ops_auth[];
extern const aims_op aims__ops_card[];
extern const aims_op aims__ops_catalog[];
extern const aims_op aims__ops_dataset[];
extern const aims_op aims__ops_isms[];
extern const aims_op aims__ops_org[];
extern const aims_op aims__ops_oscal[];
extern const aims_op aims__ops_pack[];
extern const aims_op aims__ops_doc[];
extern const aims_op aims__ops_lineage[];
extern const aims_op aims__ops_model[];
extern const aims_op aims__ops_eval[];
extern const aims_op aims__ops_gap[];
extern const aims_op aims__ops_map[];
extern const aims_op aims__ops_risk[];
extern const aims_op aims__ops_system[];
extern const aims_op aims__ops_policy[];
extern const aims_op aims__ops_oversight[];
extern const aims_op aims__ops_decision[];
extern const aims_op aims__ops_ledger[];

#endif
