"""The portal at a million items: a column's published items newest first from an index (no sort
of the whole column), and the ids a search filter leaves (an agency subtree, a year) read from an
index alone — on SQLite the search document's item id is not the rowid, so without it every id
costs a row lookup."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0004_columns_links_republish"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="item",
            index=models.Index(fields=["column", "status", "published_at"], name="item_column_pub"),
        ),
        migrations.RemoveIndex(model_name="searchdocument", name="search_doc_agency"),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(
                fields=["agency", "published_at", "item"], name="search_doc_agency_ids"
            ),
        ),
        migrations.RemoveIndex(model_name="searchdocument", name="search_doc_published"),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(fields=["published_at", "item"], name="search_doc_published_ids"),
        ),
    ]
