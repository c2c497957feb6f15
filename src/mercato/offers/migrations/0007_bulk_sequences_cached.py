from django.db import migrations

from mercato.sequences import cached_ids


class Migration(migrations.Migration):
    dependencies = [("offers", "0006_offer_product_without_index")]

    operations = [cached_ids("offers_offer", "offers_deletedoffer")]
