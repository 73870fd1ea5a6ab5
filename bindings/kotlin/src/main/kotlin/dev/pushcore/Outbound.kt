package dev.pushcore

/**
 * Hand-written conveniences over the generated sending-side API
 * ([buildPush], [PushFinding], [PushGrouping]), for the send path and its logs.
 */

/** The channel's name, or `all` for a finding that concerns every channel (as the CLI prints it). */
val PushFinding.channelName: String
    get() = channel?.let(::pushChannelName) ?: "all"

/** The findings that lose or break the push; warnings only degrade it. */
val BuildPushResult.errors: List<PushFinding>
    get() = findings.filter { it.severity == FindingSeverity.ERROR }

/** Reads a message in the CLI's JSON form (docs/examples/message.json). */
fun OutboundMessage.Companion.fromJson(json: String): OutboundMessage = outboundMessageFromJson(json)

/** One channel's grouping fields and effect (every channel is listed). */
fun PushGrouping.on(channel: PushChannel): ChannelGrouping = channels.first { it.channel == channel }

/** The value of the vendor field [name] (as the vendor's API spells it), or null when not set. */
fun ChannelGrouping.field(name: String): String? = fields.firstOrNull { it.name == name }?.value
