"""API tokens, tender matching, joint procurement, document jobs, gender counts, employment-purpose
territory, forgot-password requests per address

Revision ID: 56fa9fd01097
Revises: d81b4c643d71
Create Date: 2026-11-23 16:43:14.829755
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '56fa9fd01097'
down_revision: Union[str, None] = 'd81b4c643d71'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('password_reset_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('remote_addr', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('password_reset_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_reset_request_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_password_reset_request_remote_addr'), ['remote_addr'], unique=False)

    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('prefix', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)

    op.create_table('document_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('params', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('result_path', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('finished_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['requested_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('document_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_job_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_job_requested_by'), ['requested_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_job_status'), ['status'], unique=False)

    op.create_table('match_notification_preference',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('joint_participation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('invited_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('invited_by', sa.Integer(), nullable=True),
    sa.Column('invited_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], ),
    sa.ForeignKeyConstraint(['decided_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['invited_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['tender_id'], ['tender.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tender_id', 'authority_id')
    )
    with op.batch_alter_table('joint_participation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_joint_participation_authority_id'), ['authority_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_joint_participation_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_joint_participation_tender_id'), ['tender_id'], unique=False)

    op.create_table('tender_match',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('reserved_for_you', sa.Boolean(), nullable=False),
    sa.Column('matched_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('viewed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('interest', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('interest_reason', sa.Text(), nullable=False),
    sa.Column('interest_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('interest_by', sa.Integer(), nullable=True),
    sa.Column('notified_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ),
    sa.ForeignKeyConstraint(['interest_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['tender_id'], ['tender.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tender_id', 'enterprise_id')
    )
    with op.batch_alter_table('tender_match', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tender_match_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tender_match_tender_id'), ['tender_id'], unique=False)

    op.create_table('joint_share',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participation_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('estimated_value', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('share_pct', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['lot_id'], ['lot.id'], ),
    sa.ForeignKeyConstraint(['participation_id'], ['joint_participation.id'], ),
    sa.ForeignKeyConstraint(['updated_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('participation_id', 'lot_id')
    )
    with op.batch_alter_table('joint_share', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_joint_share_lot_id'), ['lot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_joint_share_participation_id'), ['participation_id'], unique=False)

    # One contract per (lot, authority) instead of one per lot (joint procurement). The old UNIQUE(lot_id)
    # was created without a name: PostgreSQL called it contract_lot_id_key; on SQLite the batch copy
    # names it through a naming convention so that it can be dropped.
    bind = op.get_bind()
    old_names = [uc["name"] for uc in sa.inspect(bind).get_unique_constraints("contract")
                 if uc["column_names"] == ["lot_id"]]
    if old_names:
        with op.batch_alter_table('contract', naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"}) as batch_op:
            batch_op.drop_constraint(old_names[0] or 'uq_contract_lot_id', type_='unique')
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_contract_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('share_pct', sa.Numeric(precision=5, scale=2), nullable=True))
        batch_op.create_index(batch_op.f('ix_contract_parent_contract_id'), ['parent_contract_id'], unique=False)
        batch_op.create_unique_constraint('uq_contract_lot_authority', ['lot_id', 'authority_id'])
        batch_op.create_foreign_key('fk_contract_parent_contract_id', 'contract', ['parent_contract_id'], ['id'])

    with op.batch_alter_table('contract_report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('people_women', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('people_men', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('people_other', sa.Integer(), nullable=True))

    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.add_column(sa.Column('served_municipalities', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))



def downgrade() -> None:
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.drop_column('served_municipalities')

    with op.batch_alter_table('contract_report', schema=None) as batch_op:
        batch_op.drop_column('people_other')
        batch_op.drop_column('people_men')
        batch_op.drop_column('people_women')

    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.drop_constraint('fk_contract_parent_contract_id', type_='foreignkey')
        batch_op.drop_constraint('uq_contract_lot_authority', type_='unique')
        batch_op.drop_index(batch_op.f('ix_contract_parent_contract_id'))
        batch_op.drop_column('share_pct')
        batch_op.drop_column('parent_contract_id')
        batch_op.create_unique_constraint('contract_lot_id_key', ['lot_id'])

    with op.batch_alter_table('joint_share', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_joint_share_participation_id'))
        batch_op.drop_index(batch_op.f('ix_joint_share_lot_id'))

    op.drop_table('joint_share')
    with op.batch_alter_table('tender_match', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tender_match_tender_id'))
        batch_op.drop_index(batch_op.f('ix_tender_match_enterprise_id'))

    op.drop_table('tender_match')
    with op.batch_alter_table('joint_participation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_joint_participation_tender_id'))
        batch_op.drop_index(batch_op.f('ix_joint_participation_status'))
        batch_op.drop_index(batch_op.f('ix_joint_participation_authority_id'))

    op.drop_table('joint_participation')
    op.drop_table('match_notification_preference')
    with op.batch_alter_table('document_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_job_status'))
        batch_op.drop_index(batch_op.f('ix_document_job_requested_by'))
        batch_op.drop_index(batch_op.f('ix_document_job_kind'))

    op.drop_table('document_job')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_user_id'))

    op.drop_table('api_token')
    with op.batch_alter_table('password_reset_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_reset_request_remote_addr'))
        batch_op.drop_index(batch_op.f('ix_password_reset_request_at'))

    op.drop_table('password_reset_request')
