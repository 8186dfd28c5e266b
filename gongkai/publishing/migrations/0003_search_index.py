# The whole-site search index (publishing/search.py) and the public content version.

import django.db.models.deletion
from django.db import migrations, models


def create_state(apps, schema_editor):
    apps.get_model("publishing", "SearchIndexState").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_initial"),
        ("publishing", "0002_indexpattern"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchIndexState",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveBigIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name="SearchPosting",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("gram", models.CharField(max_length=2)),
                ("block", models.PositiveIntegerField()),
                ("count", models.PositiveIntegerField()),
                ("ids", models.BinaryField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("gram", "block"), name="search_posting_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "item",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="publishing.item",
                    ),
                ),
                ("kind", models.CharField(max_length=12, verbose_name="结果类别")),
                ("published_at", models.DateTimeField(verbose_name="发布日期")),
                ("text", models.TextField(verbose_name="检索文本")),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="agencies.agency",
                    ),
                ),
                (
                    "column",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="publishing.column",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["agency", "published_at"], name="search_doc_agency"),
                    models.Index(fields=["column", "published_at"], name="search_doc_column"),
                    models.Index(fields=["published_at"], name="search_doc_published"),
                ],
            },
        ),
        migrations.RunPython(create_state, migrations.RunPython.noop),
    ]
