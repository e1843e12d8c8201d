"""Stored codes in English, step 1 of 3: new choices and defaults; the two constraints that name a code are
dropped here and added back with the English codes in 0008, after 0007 has converted the rows."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('exchange_groups', '0005_library_practices'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='registration',
            name='one_active_registration_per_meeting_user',
        ),
        migrations.RemoveConstraint(
            model_name='resource',
            name='resource_file_or_link',
        ),
        migrations.AlterField(
            model_name='goodpracticepage',
            name='source',
            field=models.CharField(choices=[('ore', 'Centre for Education Development (ORE)'), ('zmp', 'Association of Polish Cities (ZMP)'), ('network', 'A cooperation network or an exchange group'), ('member', 'Submitted by a member of the platform')], default='ore', max_length=16, verbose_name='source'),
        ),
        migrations.AlterField(
            model_name='goodpracticepage',
            name='unit_kind',
            field=models.CharField(blank=True, choices=[('voivodeship', 'voivodeship'), ('powiat', 'powiat'), ('city_with_powiat_rights', 'city with powiat rights'), ('urban_gmina', 'urban gmina'), ('rural_gmina', 'rural gmina'), ('urban_rural_gmina', 'urban-rural gmina')], editable=False, max_length=32, verbose_name='JST kind'),
        ),
        migrations.AlterField(
            model_name='invitation',
            name='role',
            field=models.CharField(choices=[('participant', 'participant'), ('moderator', 'moderator (leader)'), ('coordinator', 'coordinator'), ('expert', 'expert')], default='participant', max_length=16, verbose_name='role'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='mode',
            field=models.CharField(choices=[('in_person', 'in person'), ('online', 'online')], max_length=16, verbose_name='form of the meeting'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='status',
            field=models.CharField(choices=[('scheduled', 'scheduled'), ('cancelled', 'cancelled')], default='scheduled', max_length=16, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='membership',
            name='role',
            field=models.CharField(choices=[('participant', 'participant'), ('moderator', 'moderator (leader)'), ('coordinator', 'coordinator'), ('expert', 'expert')], default='participant', max_length=16, verbose_name='role'),
        ),
        migrations.AlterField(
            model_name='membershipevent',
            name='previous_role',
            field=models.CharField(blank=True, choices=[('participant', 'participant'), ('moderator', 'moderator (leader)'), ('coordinator', 'coordinator'), ('expert', 'expert')], max_length=16, verbose_name='previous role'),
        ),
        migrations.AlterField(
            model_name='membershipevent',
            name='role',
            field=models.CharField(blank=True, choices=[('participant', 'participant'), ('moderator', 'moderator (leader)'), ('coordinator', 'coordinator'), ('expert', 'expert')], max_length=16, verbose_name='role'),
        ),
        migrations.AlterField(
            model_name='profile',
            name='position_category',
            field=models.CharField(blank=True, choices=[('decision_maker', 'Decision-maker (mayor, wójt, burmistrz, starosta or their deputy)'), ('education_department', 'Head of the education department or education inspector'), ('finance', 'Treasurer or budget analyst'), ('school_administration', 'School economic and administrative staff'), ('councillor', 'Councillor on the education committee'), ('social_partner', 'Social partner')], max_length=32, verbose_name='position category'),
        ),
        migrations.AlterField(
            model_name='questionnaire',
            name='kind',
            field=models.CharField(choices=[('diagnosis', 'needs diagnosis'), ('evaluation', 'evaluation')], max_length=16, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='questionnaire',
            name='status',
            field=models.CharField(choices=[('draft', 'draft'), ('open', 'open'), ('closed', 'closed')], default='draft', max_length=16, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='registration',
            name='attendance',
            field=models.CharField(choices=[('unknown', 'not marked'), ('present', 'present'), ('excused', 'excused'), ('absent', 'absent')], default='unknown', max_length=16, verbose_name='attendance'),
        ),
        migrations.AlterField(
            model_name='registration',
            name='status',
            field=models.CharField(choices=[('registered', 'registered'), ('waiting', 'on the waiting list'), ('cancelled', 'cancelled')], max_length=16, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='resource',
            name='kind',
            field=models.CharField(choices=[('file', 'file'), ('link', 'link')], max_length=8, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='space',
            name='kind',
            field=models.CharField(choices=[('network', 'cooperation network'), ('exchange_group', 'experience exchange group (GWD)'), ('leaders', "leaders' network")], max_length=16, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='space',
            name='status',
            field=models.CharField(choices=[('recruiting', 'recruiting'), ('active', 'active'), ('closed', 'closed'), ('archived', 'archived')], default='active', max_length=16, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='space',
            name='visibility',
            field=models.CharField(choices=[('public', 'public: anyone sees the description, members see the rest'), ('private', 'private: only members know it exists')], default='public', max_length=16, verbose_name='visibility'),
        ),
        migrations.AlterField(
            model_name='territorialunit',
            name='kind',
            field=models.CharField(choices=[('voivodeship', 'voivodeship'), ('powiat', 'powiat'), ('city_with_powiat_rights', 'city with powiat rights'), ('urban_gmina', 'urban gmina'), ('rural_gmina', 'rural gmina'), ('urban_rural_gmina', 'urban-rural gmina')], db_index=True, max_length=32, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='workplanitem',
            name='kind',
            field=models.CharField(choices=[('meeting', 'meeting'), ('online_task', 'online task'), ('material', 'material')], max_length=16, verbose_name='kind'),
        ),
    ]
